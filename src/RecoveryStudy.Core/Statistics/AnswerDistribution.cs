using System.Globalization;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;

namespace RecoveryStudy.Statistics;

/// <summary>One point's (or option's) share of the valid answers; <see cref="Label"/> is null for an unlabelled scale point.</summary>
public sealed record OptionShare(int Code, string? Label, int Count, double Percent);

/// <summary>
/// How one rated item was answered in one wave: who was invited to the wave, who answered the
/// instrument, n valid answers (the percentage base, named in <see cref="Base"/>), the count and
/// percentage of every point of a rating scale (lowest first, labelled or not) or every option, and
/// top-2-box (the share choosing one of the scale's two highest points) for ratings of four or more
/// points. Missing values are counted by reason and are not part of n.
/// </summary>
public sealed record ItemDistribution(
    string Instrument, string Item, string Label, string Type, int Invited, int Answered, int N, string Base,
    IReadOnlyList<OptionShare> Options, double? TopTwoBox, string? TopTwoBoxCodes, IReadOnlyList<LeftOut> Missing);

public static class AnswerDistribution
{
    /// <summary>How every format names the percentage base.</summary>
    public const string ValidAnswers = "valid answers";

    public static async Task<IReadOnlyList<ItemDistribution>> ComputeAsync(
        NpgsqlDataSource dataSource, StudyLayout layout, LayoutWave wave, string? instrument, ParticipantFilter filter, CancellationToken ct)
    {
        var items = wave.Instruments.Where(i => instrument is null || i.Code == instrument)
            .SelectMany(i => i.Items.Where(IsReported).Select(x => (Instrument: i, Item: x)))
            .ToList();
        var counts = items.Select(_ => new Dictionary<int, int>()).ToArray();
        var missing = items.Select(_ => new SortedDictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var invited = new int[items.Count];
        var answered = new int[items.Count];
        await foreach (var participant in ParticipantRecords.ReadAsync(dataSource, layout.StudyId, [wave.Id], filter, ct))
        {
            var record = participant.Waves.GetValueOrDefault(wave.Id);
            if (record is null)
            {
                continue; // not part of this wave at all: neither in n nor among the missing
            }
            for (var i = 0; i < items.Count; i++)
            {
                var answers = new InstrumentAnswers(participant, record, items[i].Instrument);
                invited[i] += record.Status is InvitationStatus.Planned or InvitationStatus.Missed && answers.Response is null ? 0 : 1;
                answered[i] += answers.Response is null ? 0 : 1;
                if (answers.Numeric(items[i].Item.Code, out var reason) is { } value && value == decimal.Truncate(value))
                {
                    counts[i][(int)value] = counts[i].GetValueOrDefault((int)value) + 1;
                }
                else
                {
                    var name = MissingCode.Name(reason == 0 ? MissingCode.NotAnswered : reason);
                    missing[i][name] = missing[i].GetValueOrDefault(name) + 1;
                }
            }
        }
        return [.. items.Select((x, i) => Describe(x.Instrument, x.Item, invited[i], answered[i], counts[i], missing[i]))];
    }

    /// <summary>Ratings (labelled or not), single choices and yes/no items.</summary>
    private static bool IsReported(LayoutItem item) =>
        item.Rating is not null || item.Type is ItemType.YesNo || item.Type is ItemType.SingleChoice && item.Options.Count > 0;

    private static ItemDistribution Describe(LayoutInstrument instrument, LayoutItem item, int invited, int answered, Dictionary<int, int> counts, SortedDictionary<string, int> missing)
    {
        var n = counts.Values.Sum();
        double Percent(int count) => n == 0 ? 0 : 100.0 * count / n;
        var points = item.Points;
        var options = points.Select(p => new OptionShare(p.Code, p.Label, counts.GetValueOrDefault(p.Code), Percent(counts.GetValueOrDefault(p.Code)))).ToList();
        // Codes answered that the newest version no longer has still count, under their code.
        options.AddRange(counts.Keys.Where(c => points.All(p => p.Code != c)).Order().Select(c => new OptionShare(c, null, counts[c], Percent(counts[c]))));
        double? top2 = null;
        string? top2Codes = null;
        if (item.Rating is { TopTwo: [_, _] top })
        {
            top2 = n == 0 ? null : Percent(top.Sum(c => counts.GetValueOrDefault(c)));
            top2Codes = string.Join(",", top.Select(c => c.ToString(CultureInfo.InvariantCulture)));
        }
        return new ItemDistribution(instrument.Code, item.Code, item.Label, item.Type, invited, answered, n, ValidAnswers, options, top2, top2Codes,
            [.. missing.Select(kv => new LeftOut(kv.Key, kv.Value))]);
    }
}
