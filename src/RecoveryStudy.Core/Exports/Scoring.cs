using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>
/// Scores from item values. A reverse-scored item counts as (scale min + scale max - value).
/// Mean: the mean of the answered items. Sum: when every item is answered, their sum; when some
/// are missing but at least MinAnswered are present, the mean of the answered items times the
/// number of items (prorated), so partial and full sums share one scale. The result is multiplied
/// by the score's multiplier and rounded to 6 decimals (half away from zero).
/// </summary>
public static class Scoring
{
    public const int Decimals = 6;

    public static decimal? Compute(LayoutScore score, LayoutVersion version, Func<string, decimal?> value)
    {
        var values = new List<decimal>();
        foreach (var code in score.ItemCodes)
        {
            if (value(code) is not { } v)
            {
                continue;
            }
            if (score.ReverseItemCodes.Contains(code) && version.ItemsByCode.GetValueOrDefault(code)?.Ends is { } scale)
            {
                v = scale.Min + scale.Max - v;
            }
            values.Add(v);
        }
        var minimum = Math.Max(1, score.MinAnswered);
        if (values.Count < minimum || score.ItemCodes.Length == 0)
        {
            return null;
        }
        var mean = values.Sum() / values.Count;
        var raw = score.Method == ScoreMethod.Mean ? mean
            : values.Count == score.ItemCodes.Length ? values.Sum()
            : mean * score.ItemCodes.Length;
        return Math.Round(raw * score.Multiplier, Decimals, MidpointRounding.AwayFromZero);
    }
}
