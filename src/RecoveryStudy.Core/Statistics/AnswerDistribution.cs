using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;

namespace RecoveryStudy.Statistics;

/// <summary>One option's share of the valid answers.</summary>
public sealed record OptionShare(int Code, string Label, int Count, double Percent);

/// <summary>
/// How one rated item was answered in one wave: n valid answers, the percentage per option, and
/// top-2-box (the share choosing one of the two highest options) for rating scales. Missing
/// values are counted by reason and are not part of n.
/// </summary>
public sealed record ItemDistribution(
    string Instrument, string Item, string Label, string Type, int N, IReadOnlyList<OptionShare> Options,
    double? TopTwoBox, string? TopTwoBoxCodes, IReadOnlyList<LeftOut> Missing);

public static class AnswerDistribution
{
    public static async Task<IReadOnlyList<ItemDistribution>> ComputeAsync(
        NpgsqlDataSource dataSource, StudyLayout layout, LayoutWave wave, string? instrument, ParticipantFilter filter, CancellationToken ct)
    {
        var items = wave.Instruments.Where(i => instrument is null || i.Code == instrument)
            .SelectMany(i => i.Items.Where(x => x.Type is ItemType.Rating or ItemType.SingleChoice or ItemType.YesNo && x.Options.Count > 0).Select(x => (Instrument: i, Item: x)))
            .ToList();
        var counts = items.Select(_ => new Dictionary<int, int>()).ToArray();
        var missing = items.Select(_ => new SortedDictionary<string, int>(StringComparer.Ordinal)).ToArray();
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
        return [.. items.Select((x, i) => Describe(x.Instrument, x.Item, counts[i], missing[i]))];
    }

    private static ItemDistribution Describe(LayoutInstrument instrument, LayoutItem item, Dictionary<int, int> counts, SortedDictionary<string, int> missing)
    {
        var n = counts.Values.Sum();
        double Percent(int count) => n == 0 ? 0 : 100.0 * count / n;
        var options = item.Options.Select(o => new OptionShare(o.Code, o.Label, counts.GetValueOrDefault(o.Code), Percent(counts.GetValueOrDefault(o.Code)))).ToList();
        // Codes answered that the newest version no longer lists still count, under their code.
        options.AddRange(counts.Keys.Where(c => item.Options.All(o => o.Code != c)).Order().Select(c => new OptionShare(c, c.ToString(System.Globalization.CultureInfo.InvariantCulture), counts[c], Percent(counts[c]))));
        double? top2 = null;
        string? top2Codes = null;
        if (item.Type == ItemType.Rating && item.Options.Count >= 4)
        {
            var top = item.Options.OrderByDescending(o => o.Code).Take(2).Select(o => o.Code).Order().ToArray();
            top2 = n == 0 ? null : Percent(top.Sum(c => counts.GetValueOrDefault(c)));
            top2Codes = string.Join(",", top);
        }
        return new ItemDistribution(instrument.Code, item.Code, item.Label, item.Type, n, options, top2, top2Codes, [.. missing.Select(kv => new LeftOut(kv.Key, kv.Value))]);
    }
}
