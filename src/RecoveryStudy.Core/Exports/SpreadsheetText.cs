using System.Globalization;

namespace RecoveryStudy.Exports;

/// <summary>
/// CSV text cells made safe to open in a spreadsheet (OWASP "CSV injection"): text that begins
/// with =, +, -, @, a tab or a carriage return gets a leading ', so that Excel, LibreOffice or
/// Google Sheets show it instead of running it as a formula. Numeric columns are never touched,
/// nor is a text cell that is a plain number ("-3"), which no spreadsheet runs.
/// </summary>
public static class SpreadsheetText
{
    /// <summary>What the codebook, the R script and the SPSS syntax say about it, in one line.</summary>
    public const string Note =
        "text cells that began with =, +, -, an at sign, a tab or a carriage return carry an added leading ' so that a spreadsheet does not run them as formulas; export with raw text (console: Text as typed; CLI --raw-text; API raw=true) for the text as typed";

    public static string? Neutralise(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(value) ? "'" + value : value;

    private static bool IsPlainNumber(string value) =>
        decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);
}
