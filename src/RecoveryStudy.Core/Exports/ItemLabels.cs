using RecoveryStudy.Data;
using RecoveryStudy.Instruments;

namespace RecoveryStudy.Exports;

/// <summary>How an item's variable label and value labels are built for codebooks, scripts and reports.</summary>
internal static class ItemLabels
{
    /// <summary>
    /// Each item with its variable label. A label that several items of the version share (the same
    /// four criteria asked of every course module) is prefixed with the section heading the item
    /// stands under ("Module: Ethics: How useful was the module ..."), as the participant saw it.
    /// </summary>
    public static IEnumerable<(Item Item, string Label)> Distinct(IReadOnlyList<Item> items, string language)
    {
        var shared = items.Where(i => i.Type != ItemType.Section).GroupBy(i => i.Label.For(language), StringComparer.Ordinal)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        string? section = null;
        foreach (var item in items)
        {
            var label = item.Label.For(language);
            if (item.Type == ItemType.Section)
            {
                section = label;
            }
            yield return (item, shared.Contains(label) && section is { Length: > 0 } heading ? $"{heading}: {label}" : label);
        }
    }

    /// <summary>The labelled codes: a rating's labelled points lowest first, a yes/no's yes and no, a choice's options in order.</summary>
    public static IReadOnlyList<ValueLabel> Codes(Item item, string language)
    {
        var options = item.Options.OrderBy(o => o.Position).ThenBy(o => o.Code).Select(o => new ValueLabel(o.Code, o.Label.For(language))).ToList();
        return item.Type switch
        {
            ItemType.Rating when RatingScale.Of(item) is { } scale => [.. options.Where(o => scale.Contains(o.Code)).OrderBy(o => o.Code)],
            ItemType.YesNo when options.Count == 0 => [.. YesNo.Labels(language).Select(l => new ValueLabel(l.Code, l.Label))],
            _ => options,
        };
    }
}
