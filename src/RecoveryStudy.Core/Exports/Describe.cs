using System.Globalization;
using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>An item's condition and a score's definition in words, for the codebook and the scripts' comments.</summary>
public static class Describe
{
    /// <summary>"shown when works_as_ra is 1", or null for an item always shown.</summary>
    public static string? ShownIf(LayoutItem item) =>
        item.ShowIfItemCode is { } gate && item.ShowIfCodes is { Length: > 0 } codes
            ? $"shown when {gate} is {string.Join(" or ", codes.Select(c => c.ToString(CultureInfo.InvariantCulture)))}"
            : null;

    /// <summary>
    /// "mean of a, b, c (3 items; reverse-scored: b as min + max - value); at least 2 answered, else -5;
    /// times 4": the items, the rule, the minimum answered and the multiplier.
    /// </summary>
    public static string Score(LayoutScore score)
    {
        var rule = score.Method == ScoreMethod.Mean
            ? "mean of the answered items"
            : "sum of the items (with some missing: mean of the answered items times the number of items)";
        var text = $"{rule}: {string.Join(", ", score.ItemCodes)} ({score.ItemCodes.Length} items)";
        if (score.ReverseItemCodes.Length > 0)
        {
            text += $"; reverse-scored (scale min + max - value): {string.Join(", ", score.ReverseItemCodes)}";
        }
        text += $"; computed when at least {Math.Max(1, score.MinAnswered)} answered, else {MissingCode.TooFewItems}";
        return text + $"; times {score.Multiplier.ToString("0.############", CultureInfo.InvariantCulture)}; rounded to {Scoring.Decimals} decimals";
    }
}
