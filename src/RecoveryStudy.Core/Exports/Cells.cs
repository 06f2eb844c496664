using System.Globalization;

namespace RecoveryStudy.Exports;

/// <summary>
/// How values become text in every export: invariant culture, no trailing zeros, UTC instants in
/// ISO 8601, so that the same data gives the same bytes on any machine.
/// </summary>
public static class Cells
{
    public static string Number(decimal value) =>
        value.ToString("0.############################", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string? Timestamp(DateTime? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A text answer on one line: each line break becomes a space, so that every record is one
    /// line (SPSS and PSPP cannot read breaks inside quoted fields, and diffs stay readable).
    /// The original text stays in the analytics.answers view.
    /// </summary>
    public static string? Text(string? value) =>
        value?.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ');

    public static string? Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
