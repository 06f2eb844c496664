using System.Text;
using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>
/// SPSS syntax (also run by GNU PSPP) that reads a table's CSV with GET DATA and applies
/// VARIABLE LABELS, VALUE LABELS (option labels, the labelled points of a rating and missing-reason
/// labels), VARIABLE LEVEL (ratings ordinal, choices nominal) and MISSING VALUES (every negative
/// code is user-missing, so SPSS keeps the reason and leaves it out of statistics). A rating's
/// unlabelled points are ordinary values; a comment names each scale's range.
/// </summary>
public static class SpssSyntax
{
    // SPSS labels hold at most 255 bytes (variable labels) and 120 (value labels, older versions).
    private const int MaxVariableLabel = 250;
    private const int MaxValueLabel = 120;

    public static string For(ExportTable table, bool rawText = false)
    {
        var s = new StringBuilder();
        var file = table.Name + ".csv";
        s.Append("* Reads ").Append(file).Append(" (written by RecoveryStudy) and applies its codebook.\n");
        s.Append("* Missing-reason codes: ").AppendJoin(", ", MissingCode.Labels.Select(m => $"{m.Code} {m.Label}")).Append(".\n");
        if (!rawText)
        {
            s.Append("* In the CSV, ").Append(SpreadsheetText.Note).Append(".\n");
        }
        s.Append("GET DATA\n  /TYPE=TXT\n  /FILE=").Append(Str(file, int.MaxValue)).Append("\n  /ENCODING='UTF8'\n");
        s.Append("  /ARRANGEMENT=DELIMITED\n  /DELCASE=LINE\n  /FIRSTCASE=2\n  /DELIMITERS=\",\"\n  /QUALIFIER='\"'\n  /VARIABLES=\n");
        foreach (var c in table.Columns)
        {
            s.Append("    ").Append(c.Name).Append(' ').Append(Format(c)).Append('\n');
        }
        s.Append(".\n");

        s.Append("VARIABLE LABELS\n");
        s.AppendJoin("\n", table.Columns.Select((c, i) => $"  {(i == 0 ? "" : "/")}{c.Name} {Str(c.Label, MaxVariableLabel)}"));
        s.Append(".\n");

        var labelled = table.Columns.Where(c => c.Type == ColumnType.Numeric && c.ValueLabels.Count > 0).ToList();
        if (labelled.Count > 0)
        {
            s.Append("VALUE LABELS\n");
            s.AppendJoin("\n", labelled.Select((c, i) =>
                $"  {(i == 0 ? "" : "/")}{c.Name} " + string.Join(" ", c.ValueLabels.Select(v => $"{v.Code} {Str(v.Label, MaxValueLabel)}"))));
            s.Append(".\n");
        }
        var ratings = table.Columns.Where(c => c.Scale is not null).ToList();
        if (ratings.Count > 0)
        {
            s.Append("* Rating scales: every whole number in the range is a valid value; only some points carry value labels.\n");
            foreach (var c in ratings)
            {
                s.Append("* ").Append(c.Name).Append(": ").Append(c.Scale!.Range).Append(".\n");
            }
            s.Append("VARIABLE LEVEL\n  ").AppendJoin("\n  ", ratings.Select(c => c.Name)).Append(" (ORDINAL).\n");
        }
        var nominal = table.Columns.Where(c => c.ItemType is ItemType.SingleChoice or ItemType.YesNo or ItemType.MultipleChoice && c.Type == ColumnType.Numeric).ToList();
        if (nominal.Count > 0)
        {
            s.Append("VARIABLE LEVEL\n  ").AppendJoin("\n  ", nominal.Select(c => c.Name)).Append(" (NOMINAL).\n");
        }
        var coded = table.Columns.Where(c => c.HasMissingCodes).ToList();
        if (coded.Count > 0)
        {
            s.Append("MISSING VALUES\n  ").AppendJoin("\n  ", coded.Select(c => c.Name)).Append(" (LO THRU -1).\n");
        }
        s.Append("EXECUTE.\n");
        return s.ToString();
    }

    private static string Format(ExportColumn c) => c.Type switch
    {
        ColumnType.Numeric => "F12.6",
        ColumnType.Date => "A10",
        ColumnType.DateTime => "A20",
        _ when c.ItemType == ItemType.LongText => "A10000",
        _ when c.ItemType == ItemType.ShortText => "A1000",
        _ => "A64",
    };

    /// <summary>A quoted SPSS string: double quotes doubled, line breaks as spaces, cut to a byte limit.</summary>
    private static string Str(string value, int maxBytes)
    {
        var text = value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        while (Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            text = text[..^1];
        }
        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
