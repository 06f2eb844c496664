using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;

namespace RecoveryStudy.Statistics;

/// <summary>One variable compared between two waves, with who was left out and why; <see cref="Pairs"/> counts complete pairs even when too few for statistics.</summary>
public sealed record VariableComparison(
    string Variable, string Kind, string Instrument, string Label, string From, string To,
    int Participants, int Pairs, PairedComparisonResult? Result, IReadOnlyList<LeftOut> LeftOut);

/// <summary>
/// Participants without a pair, counted by reason ("no value at baseline: not invited"). A
/// comparison also gives the reason's parts, the <see cref="MissingCode"/> at each wave without a
/// value (null where there was one), so a page can say it in the staff member's language.
/// </summary>
public sealed record LeftOut(string Reason, int Count, int? MissingFrom = null, int? MissingTo = null);

/// <summary>
/// Within-subject comparison from the database: each participant's value of a score or item at
/// two waves (computed exactly as the exports compute it), then <see cref="PairedComparison"/>.
/// Participants are read one at a time; only their pairs of numbers are kept.
/// </summary>
public static class WaveComparison
{
    public sealed record Variable(string Code, string Kind, LayoutInstrument Instrument, string Label);

    /// <summary>The variables both waves share: every score, or the one score or numeric item asked for.</summary>
    public static (IReadOnlyList<Variable> Variables, string? Error) Resolve(LayoutWave from, LayoutWave to, string? score, string? item)
    {
        var shared = from.Instruments.Where(i => to.Instruments.Any(t => t.Id == i.Id)).ToList();
        if (item is not null)
        {
            var found = shared.Select(i => (Instrument: i, Item: i.Items.FirstOrDefault(x => x.Code == item))).FirstOrDefault(x => x.Item is not null);
            return found.Item is null ? ([], $"--item: no instrument asked at both {from.Code} and {to.Code} has an item '{item}'")
                : !found.Item.IsNumeric ? ([], $"--item: '{item}' is {found.Item.Type}; only ratings, choices, yes/no and numbers can be compared")
                : ([new Variable(item, "item", found.Instrument, found.Item.Label)], null);
        }
        var scores = shared.SelectMany(i => i.Scores.Select(s => new Variable(s.Code, "score", i, s.Label)))
            .Where(v => score is null || v.Code == score).ToList();
        return scores.Count == 0
            ? ([], score is null ? $"no instrument asked at both {from.Code} and {to.Code} defines a score; name an item with --item" : $"--score: no instrument asked at both {from.Code} and {to.Code} has a score '{score}'")
            : (scores, null);
    }

    public static async Task<IReadOnlyList<VariableComparison>> CompareAsync(
        NpgsqlDataSource dataSource, StudyLayout layout, LayoutWave from, LayoutWave to, IReadOnlyList<Variable> variables,
        ParticipantFilter filter, CancellationToken ct)
    {
        var pairs = variables.Select(_ => new List<(double, double)>()).ToArray();
        var leftOut = variables.Select(_ => new SortedDictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var parts = new Dictionary<string, (int? From, int? To)>(StringComparer.Ordinal);
        var participants = 0;
        await foreach (var participant in ParticipantRecords.ReadAsync(dataSource, layout.StudyId, [from.Id, to.Id], filter, ct))
        {
            participants++;
            for (var v = 0; v < variables.Count; v++)
            {
                var a = Value(participant, from, variables[v], out var missingFrom);
                var b = Value(participant, to, variables[v], out var missingTo);
                if (a is { } x && b is { } y)
                {
                    pairs[v].Add(((double)x, (double)y));
                    continue;
                }
                var reason = a is null && b is null
                    ? $"no value at {from.Code} ({MissingCode.Name(missingFrom)}) nor at {to.Code} ({MissingCode.Name(missingTo)})"
                    : a is null ? $"no value at {from.Code}: {MissingCode.Name(missingFrom)}" : $"no value at {to.Code}: {MissingCode.Name(missingTo)}";
                leftOut[v][reason] = leftOut[v].GetValueOrDefault(reason) + 1;
                parts[reason] = (a is null ? missingFrom : null, b is null ? missingTo : null);
            }
        }
        return [.. variables.Select((v, i) => new VariableComparison(
            v.Code, v.Kind, v.Instrument.Code, v.Label, from.Code, to.Code, participants, pairs[i].Count,
            PairedComparison.Compute(pairs[i]), [.. leftOut[i].Select(kv => new LeftOut(kv.Key, kv.Value, parts[kv.Key].From, parts[kv.Key].To))]))];
    }

    private static decimal? Value(ParticipantRecord participant, LayoutWave wave, Variable variable, out int missing)
    {
        var answers = new InstrumentAnswers(participant, participant.Waves.GetValueOrDefault(wave.Id), variable.Instrument);
        if (variable.Kind == "item")
        {
            return answers.Numeric(variable.Code, out missing);
        }
        var score = answers.Version?.Scores.FirstOrDefault(s => s.Code == variable.Code);
        if (score is null)
        {
            missing = answers.InstrumentLevelReason() ?? MissingCode.NotInVersion;
            return null;
        }
        return answers.Score(score, out missing);
    }
}
