using System.Globalization;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Imports;

/// <summary>One cell of an import file checked against its item: type, option codes, bounds, length.</summary>
internal static class ImportValues
{
    private const int MaxText = 10000;

    public static Answer? Parse(Item item, string text, out (string Kind, string Message)? error)
    {
        error = null;
        switch (item.Type)
        {
            case ItemType.MultipleChoice:
                var codes = new List<int>();
                foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) || item.Options.All(o => o.Code != c))
                    {
                        error = ("unknown_code", $"'{Safe(part)}' is not an option code of {item.Code} ({Codes(item)})");
                        return null;
                    }
                    codes.Add(c);
                }
                return new Answer { ItemId = item.Id, Codes = [.. codes.Distinct().Order()] };
            case ItemType.Rating or ItemType.SingleChoice or ItemType.YesNo or ItemType.Number:
                if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
                {
                    error = ("not_a_number", $"{item.Code} needs a number");
                    return null;
                }
                if (item.Min is { } min && value < min || item.Max is { } max && value > max)
                {
                    error = ("out_of_range", $"{item.Code} must lie between {item.Min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"} and {item.Max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}");
                    return null;
                }
                if (RatingScale.Of(item) is { } scale)
                {
                    if (!scale.Contains(value))
                    {
                        error = ("out_of_scale", $"{item.Code} takes a whole number from {scale.Min} to {scale.Max}");
                        return null;
                    }
                }
                else if (item.Type == ItemType.YesNo && item.Options.Count == 0)
                {
                    if (value is not (YesNo.Yes or YesNo.No))
                    {
                        error = ("unknown_code", $"{item.Code} takes {YesNo.Yes} (yes) or {YesNo.No} (no)");
                        return null;
                    }
                }
                else if (item.Type != ItemType.Number && item.Options.Count > 0 && item.Options.All(o => o.Code != value))
                {
                    error = ("unknown_code", $"{item.Code} takes one of {Codes(item)}");
                    return null;
                }
                return new Answer { ItemId = item.Id, NumericValue = value };
            case ItemType.Date:
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    error = ("invalid_date", $"{item.Code} needs a date as yyyy-mm-dd");
                    return null;
                }
                return new Answer { ItemId = item.Id, DateValue = date };
            default:
                if (text.Length > MaxText || item.Max is { } length && text.Length > length)
                {
                    error = ("too_long", $"{item.Code} holds at most {(item.Max is { } l ? (int)l : MaxText)} characters");
                    return null;
                }
                return new Answer { ItemId = item.Id, TextValue = text };
        }
    }

    private static string Codes(Item item) => string.Join(", ", item.Options.OrderBy(o => o.Code).Select(o => o.Code));

    // Error messages may be shown and logged: an unexpected code is echoed only when it is short and plainly a code.
    private static string Safe(string text) => text.Length <= 8 && text.All(char.IsAsciiLetterOrDigit) ? text : "value";
}
