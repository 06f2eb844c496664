using System.Globalization;
using System.Text;

namespace RecoveryStudy.Exports;

/// <summary>
/// The codebook of a table as CSV: one row per column with its label, type, value codes and
/// labels (every point of a rating, labelled or not), the scale's range, missing-reason codes,
/// instrument and version(s), wave, the item's show-if and a score's definition; the note says how
/// the table's text cells were made safe for spreadsheets (empty for a raw-text export).
/// </summary>
public static class Codebook
{
    public static readonly string[] Header =
        ["variable", "label", "type", "codes", "scale", "missing_codes", "instrument", "instrument_version", "wave", "item_type", "shown_if", "computed_as", "note"];

    public static string Csv(ExportTable table, bool rawText = false)
    {
        var text = new StringBuilder();
        Line(text, Header);
        foreach (var c in table.Columns)
        {
            Line(text,
            [
                c.Name, c.Label, TypeName(c.Type), Codes(c), c.Scale?.Range,
                c.HasMissingCodes ? string.Join("; ", MissingCode.Labels.Select(v => $"{v.Code}={v.Label}")) : "",
                c.Instrument, c.InstrumentVersions, c.Wave, c.ItemType, c.ShownIf, c.ComputedAs,
                c.Type == ColumnType.Text && !rawText ? SpreadsheetText.Note : null,
            ]);
        }
        return text.ToString();
    }

    /// <summary>"1=not at all; 2; 3; 4; 5; 6=very much" for a rating (each point, labelled where the protocol labels it); the labelled codes otherwise.</summary>
    public static string Codes(ExportColumn c)
    {
        var labelled = c.ValueCodes.ToList();
        if (c.Scale is { } scale)
        {
            return string.Join("; ", scale.Points.Select(p => labelled.FirstOrDefault(v => v.Code == p) is { } v
                ? $"{p.ToString(CultureInfo.InvariantCulture)}={v.Label}" : p.ToString(CultureInfo.InvariantCulture)));
        }
        return string.Join("; ", labelled.Select(v => $"{v.Code.ToString(CultureInfo.InvariantCulture)}={v.Label}"));
    }

    public static string TypeName(ColumnType type) => type switch
    {
        ColumnType.Numeric => "numeric",
        ColumnType.Date => "date",
        ColumnType.DateTime => "datetime",
        _ => "text",
    };

    private static void Line(StringBuilder text, IEnumerable<string?> cells) =>
        text.AppendJoin(',', cells.Select(CsvTableWriter.Quote)).Append('\n');
}
