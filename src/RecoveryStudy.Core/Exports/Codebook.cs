using System.Text;

namespace RecoveryStudy.Exports;

/// <summary>
/// The codebook of a table as CSV: one row per column with its label, type, value codes and
/// labels, missing-reason codes, instrument and version(s), and wave; the note says how the
/// table's text cells were made safe for spreadsheets (empty for a raw-text export).
/// </summary>
public static class Codebook
{
    public static readonly string[] Header = ["variable", "label", "type", "codes", "missing_codes", "instrument", "instrument_version", "wave", "item_type", "note"];

    public static string Csv(ExportTable table, bool rawText = false)
    {
        var text = new StringBuilder();
        Line(text, Header);
        foreach (var c in table.Columns)
        {
            var codes = c.ValueLabels.Where(v => v.Code >= 0 || !c.HasMissingCodes);
            Line(text,
            [
                c.Name, c.Label, TypeName(c.Type),
                string.Join("; ", codes.Select(v => $"{v.Code}={v.Label}")),
                c.HasMissingCodes ? string.Join("; ", MissingCode.Labels.Select(v => $"{v.Code}={v.Label}")) : "",
                c.Instrument, c.InstrumentVersions, c.Wave, c.ItemType,
                c.Type == ColumnType.Text && !rawText ? SpreadsheetText.Note : null,
            ]);
        }
        return text.ToString();
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
