using RecoveryStudy.Data;

namespace RecoveryStudy.Protocol;

/// <summary>
/// Cross-reference checks of the instruments that a schema cannot express: unique codes, options
/// that fit the item type, show-if conditions on earlier items, scores over comparable items.
/// </summary>
internal static class InstrumentRules
{
    private static readonly string[] ChoiceTypes = [ItemType.SingleChoice, ItemType.MultipleChoice];
    private static readonly string[] ConditionTypes = [ItemType.SingleChoice, ItemType.MultipleChoice, ItemType.YesNo, ItemType.Rating];
    private static readonly string[] ScoreTypes = [ItemType.Rating, ItemType.SingleChoice, ItemType.Number, ItemType.YesNo];

    public static void Check(ProtocolDocument protocol, JsonChecks c)
    {
        var instruments = new Dictionary<string, int>();
        var items = new Dictionary<string, string>();
        for (var i = 0; i < protocol.Instruments.Count; i++)
        {
            var instrument = protocol.Instruments[i];
            var path = $"$.instruments[{i}]";
            if (instrument.Code.Length > 0 && !instruments.TryAdd(instrument.Code, i))
            {
                c.Add(path + ".code", $"'{instrument.Code}' is already used by $.instruments[{instruments[instrument.Code]}]");
            }
            var earlier = new Dictionary<string, ItemDefinition>();
            for (var j = 0; j < instrument.Items.Count; j++)
            {
                var item = instrument.Items[j];
                var itemPath = $"{path}.items[{j}]";
                if (item.Code.Length > 0 && !items.TryAdd(item.Code, itemPath))
                {
                    c.Add(itemPath + ".code", $"'{item.Code}' is already used by {items[item.Code]}; item codes are variable names and must be unique in the study");
                }
                Item(item, itemPath, instrument, earlier, c);
                earlier.TryAdd(item.Code, item);
            }
            Scores(instrument, path, items, c);
        }
    }

    private static void Item(ItemDefinition item, string path, InstrumentDefinition instrument, Dictionary<string, ItemDefinition> earlier, JsonChecks c)
    {
        var hasOptions = item.Options is { Count: > 0 };
        if (ChoiceTypes.Contains(item.Type) && !hasOptions)
        {
            c.Add(path + ".options", $"a {item.Type} item needs options");
        }
        if (hasOptions && !ChoiceTypes.Contains(item.Type) && item.Type != ItemType.Rating)
        {
            c.Add(path + ".options", $"a {item.Type} item has no options; only choice and rating items do");
        }
        if (item.Type == ItemType.Rating && (item.Min is null || item.Max is null))
        {
            c.Add(path, "a rating item needs min and max, the ends of its scale");
        }
        if (item.Type is ItemType.Rating && (item.Min is { } rmin && rmin != decimal.Truncate(rmin) || item.Max is { } rmax && rmax != decimal.Truncate(rmax)))
        {
            c.Add(path, "the ends of a rating scale must be whole numbers");
        }
        if (item.Min is { } min && item.Max is { } max && min >= max)
        {
            c.Add(path + ".max", "must be greater than min");
        }
        if (item.Type == ItemType.Section && (item.Required || item.Min is not null || item.Max is not null))
        {
            c.Add(path, "a section item is text only: no required, min or max");
        }
        if (item.Type is ItemType.YesNo or ItemType.Date && (item.Min is not null || item.Max is not null))
        {
            c.Add(path, $"a {item.Type} item has no min or max");
        }
        var seen = new Dictionary<int, int>();
        for (var k = 0; k < (item.Options?.Count ?? 0); k++)
        {
            var code = item.Options![k].Code;
            if (!seen.TryAdd(code, k))
            {
                c.Add($"{path}.options[{k}].code", $"{code} is already used by options[{seen[code]}] of this item");
            }
            else if (item.Type == ItemType.Rating && item.Min is { } low && item.Max is { } high && (code < low || code > high))
            {
                c.Add($"{path}.options[{k}].code", $"{code} is outside the rating scale {low}-{high}");
            }
        }
        if (item.ShowIf is { } showIf)
        {
            ShowIf(showIf, path + ".show_if", instrument, earlier, c);
        }
    }

    private static void ShowIf(ShowIfDefinition showIf, string path, InstrumentDefinition instrument, Dictionary<string, ItemDefinition> earlier, JsonChecks c)
    {
        if (!earlier.TryGetValue(showIf.Item, out var target))
        {
            var later = instrument.Items.Any(i => i.Code == showIf.Item);
            c.Add(path + ".item", later
                ? $"'{showIf.Item}' comes later in the instrument; a condition can only look at an earlier item"
                : $"unknown item '{showIf.Item}' in instrument '{instrument.Code}'");
            return;
        }
        if (!ConditionTypes.Contains(target.Type))
        {
            c.Add(path + ".item", $"'{showIf.Item}' is a {target.Type} item; a condition needs a choice, yes/no or rating item");
            return;
        }
        var valid = ValidCodes(target);
        for (var k = 0; k < showIf.Codes.Count; k++)
        {
            if (!valid.Contains(showIf.Codes[k]))
            {
                c.Add($"{path}.codes[{k}]", $"{showIf.Codes[k]} is not a code of item '{target.Code}' ({string.Join(", ", valid)})");
            }
        }
    }

    private static List<int> ValidCodes(ItemDefinition item) => item.Type switch
    {
        ItemType.YesNo => [1, 0],
        ItemType.Rating when item.Min is { } min && item.Max is { } max && max - min < 1000 =>
            [.. Enumerable.Range((int)min, (int)(max - min) + 1)],
        _ => [.. (item.Options ?? []).Select(o => o.Code)],
    };

    private static void Scores(InstrumentDefinition instrument, string path, Dictionary<string, string> studyItems, JsonChecks c)
    {
        var codes = new Dictionary<string, int>();
        for (var s = 0; s < (instrument.Scores?.Count ?? 0); s++)
        {
            var score = instrument.Scores![s];
            var scorePath = $"{path}.scores[{s}]";
            if (!codes.TryAdd(score.Code, s))
            {
                c.Add(scorePath + ".code", $"'{score.Code}' is already used by scores[{codes[score.Code]}]");
            }
            else if (studyItems.TryGetValue(score.Code, out var itemPath))
            {
                c.Add(scorePath + ".code", $"'{score.Code}' is already used by the item {itemPath}");
            }
            string? firstType = null;
            for (var k = 0; k < score.Items.Count; k++)
            {
                var item = instrument.Items.FirstOrDefault(i => i.Code == score.Items[k]);
                var itemPathK = $"{scorePath}.items[{k}]";
                if (item is null)
                {
                    c.Add(itemPathK, $"unknown item '{score.Items[k]}' in instrument '{instrument.Code}'");
                }
                else if (!ScoreTypes.Contains(item.Type))
                {
                    c.Add(itemPathK, $"'{item.Code}' is a {item.Type} item; a score needs rating, single_choice, yes_no or number items");
                }
                else if (firstType is not null && item.Type != firstType)
                {
                    c.Add(itemPathK, $"'{item.Code}' is a {item.Type} item but the score's first item is a {firstType} item; a score adds items of one type");
                }
                firstType ??= item?.Type;
            }
            for (var k = 0; k < (score.Reverse?.Count ?? 0); k++)
            {
                var code = score.Reverse![k];
                var item = instrument.Items.FirstOrDefault(i => i.Code == code);
                if (!score.Items.Contains(code))
                {
                    c.Add($"{scorePath}.reverse[{k}]", $"'{code}' is not one of the score's items");
                }
                else if (item is not null && item.Type != ItemType.YesNo && ValidCodes(item).Count == 0)
                {
                    c.Add($"{scorePath}.reverse[{k}]", $"'{code}' has no scale ends to reverse it against");
                }
            }
            if (score.MinAnswered is { } minAnswered && minAnswered > score.Items.Count)
            {
                c.Add(scorePath + ".min_answered", $"must be at most {score.Items.Count}, the number of the score's items");
            }
        }
    }
}
