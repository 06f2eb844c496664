using System.Globalization;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;

namespace RecoveryStudy.Survey;

/// <summary>A choice an item offers. A null label means a fixed text (Yes, No) or the bare number of a scale.</summary>
public sealed record Choice(int Code, LocalizedText? Label);

/// <summary>Why a posted value was not accepted: a resource key and the numbers its text needs.</summary>
public sealed record FieldProblem(string Key, params object[] Args);

/// <summary>The outcome of checking one item's posted value: the answer (null when left empty) or a problem.</summary>
public sealed record AnswerCheck(Answer? Value, FieldProblem? Problem);

/// <summary>
/// What a valid answer to each item type is, checked on the server against the item's options
/// and bounds. The browser's own hints (maxlength, inputmode) are courtesy, never the check.
/// </summary>
public static class AnswerRules
{
    public const int ShortTextDefaultMax = 200;
    public const int LongTextDefaultMax = 4000;

    /// <summary>The longest text any item can hold (the answers column's limit).</summary>
    public const int TextHardMax = 10000;
    private const int NumberMaxChars = 30;

    public const int YesCode = YesNo.Yes;
    public const int NoCode = YesNo.No;

    public static IReadOnlyList<Choice> Choices(Item item)
    {
        var options = item.Options.OrderBy(o => o.Position).ToArray();
        if (item.Type == ItemType.Rating)
        {
            // Every point of the scale is a choice; options may label only some (often the two ends).
            // When they label every point, their order is the protocol's (WHO-5 runs from 5 down to 0).
            var scale = RatingScale.Of(item) ?? DefaultScale;
            var points = scale.Label(options.Select(o => (o.Code, o.Label)));
            if (points.All(p => p.Label is not null))
            {
                return options.Where(o => scale.Contains(o.Code)).Select(o => new Choice(o.Code, o.Label)).ToArray();
            }
            return points.Select(p => new Choice(p.Code, p.Label)).ToArray();
        }
        if (options.Length > 0)
        {
            return options.Select(o => new Choice(o.Code, o.Label)).ToArray();
        }
        return item.Type == ItemType.YesNo ? [new Choice(YesCode, null), new Choice(NoCode, null)] : [];
    }

    public static bool IsChoice(Item item) =>
        item.Type is ItemType.SingleChoice or ItemType.MultipleChoice or ItemType.Rating or ItemType.YesNo;

    public static int TextMax(Item item) =>
        item.Max is { } max and > 0 ? (int)Math.Min(max, TextHardMax)
        : item.Type == ItemType.LongText ? LongTextDefaultMax : ShortTextDefaultMax;

    /// <summary>Checks what was posted for one item (zero, one or several raw strings).</summary>
    public static AnswerCheck Check(Item item, IReadOnlyList<string> raw, bool required)
    {
        var values = raw.Where(v => !string.IsNullOrWhiteSpace(v)).ToArray();
        if (values.Length == 0)
        {
            return new AnswerCheck(null, required && item.Required ? new FieldProblem("ErrorRequired") : null);
        }
        if (item.Type != ItemType.MultipleChoice && values.Length > 1)
        {
            return Problem("ErrorChooseOne");
        }
        return item.Type switch
        {
            ItemType.MultipleChoice => CheckCodes(item, values),
            ItemType.SingleChoice or ItemType.Rating or ItemType.YesNo => CheckCode(item, values[0]),
            ItemType.Number => CheckNumber(item, values[0]),
            ItemType.Date => CheckDate(item, values[0]),
            ItemType.ShortText or ItemType.LongText => CheckText(item, values[0]),
            _ => Problem("ErrorNotAQuestion"),
        };
    }

    private static AnswerCheck CheckCode(Item item, string value)
    {
        if (!int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)
            || Choices(item).All(c => c.Code != code))
        {
            return Problem("ErrorChooseOne");
        }
        return Value(item, a => a.NumericValue = code);
    }

    private static AnswerCheck CheckCodes(Item item, string[] values)
    {
        var codes = new List<int>();
        var allowed = Choices(item);
        foreach (var value in values)
        {
            if (!int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) || allowed.All(c => c.Code != code))
            {
                return Problem("ErrorChooseFromList");
            }
            if (!codes.Contains(code))
            {
                codes.Add(code);
            }
        }
        if (item.Min is { } least && codes.Count < least)
        {
            return Problem("ErrorChooseAtLeast", (int)least);
        }
        if (item.Max is { } most && codes.Count > most)
        {
            return Problem("ErrorChooseAtMost", (int)most);
        }
        codes.Sort();
        return Value(item, a => a.Codes = codes.ToArray());
    }

    private static AnswerCheck CheckNumber(Item item, string value)
    {
        // Polish and Danish write a decimal comma; both separators are accepted, grouping is not.
        var text = value.Trim().Replace(',', '.');
        if (text.Length > NumberMaxChars
            || !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return Problem("ErrorNumber");
        }
        if ((item.Min is { } min && number < min) || (item.Max is { } max && number > max))
        {
            return item switch
            {
                { Min: { } low, Max: { } high } => Problem("ErrorNumberRange", low, high),
                { Min: { } low } => Problem("ErrorNumberMin", low),
                _ => Problem("ErrorNumberMax", item.Max!.Value),
            };
        }
        return Value(item, a => a.NumericValue = number);
    }

    private static AnswerCheck CheckDate(Item item, string value)
    {
        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || date.Year < 1900 || date.Year > 2100)
        {
            return Problem("ErrorDate");
        }
        return Value(item, a => a.DateValue = date);
    }

    private static AnswerCheck CheckText(Item item, string value)
    {
        // Browsers count a line break as one character (maxlength) but post it as CR LF.
        var text = new string(value.Replace("\r\n", "\n", StringComparison.Ordinal).Trim()
            .Where(c => !char.IsControl(c) || c is '\n' or '\t').ToArray());
        var max = TextMax(item);
        if (text.Length > max)
        {
            return Problem("ErrorTooLong", max, text.Length);
        }
        if (item.Min is { } min and > 0 && text.Length < min)
        {
            return Problem("ErrorTooShort", (int)min);
        }
        return Value(item, a => a.TextValue = text);
    }

    // The protocol requires a rating's bounds; a rating stored without them is drawn as 1-5.
    private static readonly RatingScale DefaultScale = new(1, 5);

    private static AnswerCheck Problem(string key, params object[] args) => new(null, new FieldProblem(key, args));

    private static AnswerCheck Value(Item item, Action<Answer> set)
    {
        var answer = new Answer { ItemId = item.Id };
        set(answer);
        return new AnswerCheck(answer, null);
    }
}
