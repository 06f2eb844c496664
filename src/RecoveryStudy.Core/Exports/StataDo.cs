using System.Globalization;
using System.Text;
using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>
/// A Stata do-file that reads a table's CSV (import delimited, every column by position, numeric
/// columns as doubles), names the variables, turns the missing-reason codes into extended missing
/// values (-1 = .a, -2 = .b, ... in <see cref="MissingCode.Labels"/> order) so that Stata leaves
/// them out of every statistic but keeps the reason, and attaches variable and value labels
/// (labelled points of a rating and the reasons of its missing values). Names longer than Stata's
/// 32 characters are shortened, the full name kept in the variable's characteristic rs_name.
/// </summary>
public static class StataDo
{
    public const int MaxName = 32;
    private const int MaxVariableLabel = 80;

    /// <summary>The extended missing value of a missing-reason code: -1 is .a, -2 is .b, and so on.</summary>
    public static string Extended(int code) => "." + (char)('a' + (-code - 1));

    public static string For(ExportTable table, bool rawText = false)
    {
        var names = Names(table.Columns);
        var s = new StringBuilder();
        var file = table.Name + ".csv";
        s.Append("* Reads ").Append(file).Append(" (written by RecoveryStudy) and applies its codebook.\n");
        s.Append("* Usage: do ").Append(table.Name).Append(".do [path/to/").Append(file).Append("]\n");
        if (!rawText)
        {
            s.Append("* In the CSV, ").Append(SpreadsheetText.Note).Append(".\n");
        }
        s.Append("* Missing-reason codes become extended missing values: ")
            .AppendJoin(", ", MissingCode.Labels.Select(m => $"{m.Code.ToString(CultureInfo.InvariantCulture)} = {Extended(m.Code)} ({m.Label})")).Append(".\n");
        s.Append("version 14\n");
        s.Append("local file ").Append(Str(file)).Append('\n');
        s.Append("if `\"`1'\"' != \"\" local file `\"`1'\"'\n");
        var numeric = Positions(table.Columns, c => c.Type == ColumnType.Numeric);
        var text = Positions(table.Columns, c => c.Type != ColumnType.Numeric);
        s.Append("import delimited using `\"`file'\"', varnames(nonames) rowrange(2) delimiters(\",\") bindquote(strict) encoding(\"utf-8\")");
        if (text.Length > 0)
        {
            s.Append(" stringcols(").Append(text).Append(')');
        }
        if (numeric.Length > 0)
        {
            s.Append(" numericcols(").Append(numeric).Append(')');
        }
        s.Append(" asdouble clear\n");
        for (var i = 0; i < table.Columns.Count; i++)
        {
            s.Append("rename v").Append(i + 1).Append(' ').Append(names[i]).Append('\n');
            if (names[i] != table.Columns[i].Name)
            {
                s.Append("char ").Append(names[i]).Append("[rs_name] ").Append(Str(table.Columns[i].Name)).Append('\n');
            }
        }
        var mv = string.Join(" \\ ", MissingCode.Labels.Select(m => $"{m.Code.ToString(CultureInfo.InvariantCulture)}={Extended(m.Code)}"));
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var c = table.Columns[i];
            s.Append("label variable ").Append(names[i]).Append(' ').Append(Str(Cut(c.Label, MaxVariableLabel))).Append('\n');
            if (c.HasMissingCodes)
            {
                s.Append("mvdecode ").Append(names[i]).Append(", mv(").Append(mv).Append(")\n");
            }
            var labels = c.ValueCodes.Select(v => (Value: v.Code.ToString(CultureInfo.InvariantCulture), v.Label))
                .Concat(c.HasMissingCodes ? MissingCode.Labels.Select(m => (Value: Extended(m.Code), m.Label)) : []).ToList();
            if (c.Type == ColumnType.Numeric && labels.Count > 0)
            {
                var set = "rs" + (i + 1).ToString(CultureInfo.InvariantCulture);
                s.Append("label define ").Append(set);
                foreach (var (value, label) in labels)
                {
                    s.Append(' ').Append(value).Append(' ').Append(Str(label));
                }
                s.Append('\n');
                s.Append("label values ").Append(names[i]).Append(' ').Append(set).Append('\n');
            }
        }
        return s.ToString();
    }

    /// <summary>Stata names: at most 32 characters, unique; a longer name keeps its start and gains its column number.</summary>
    public static string[] Names(IReadOnlyList<ExportColumn> columns)
    {
        var names = new string[columns.Count];
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            var name = columns[i].Name;
            if (name.Length > MaxName || !used.Add(name))
            {
                var suffix = "_" + (i + 1).ToString(CultureInfo.InvariantCulture);
                name = name[..Math.Min(name.Length, MaxName - suffix.Length)] + suffix;
                used.Add(name);
            }
            names[i] = name;
        }
        return names;
    }

    /// <summary>A compound-quoted Stata string: `"..."' holds any double quote; line breaks become spaces.</summary>
    public static string Str(string value) =>
        "`\"" + value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
            .Replace("`", "'", StringComparison.Ordinal).Replace("$", "S", StringComparison.Ordinal) + "\"'";

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];

    private static string Positions(IReadOnlyList<ExportColumn> columns, Func<ExportColumn, bool> which) =>
        string.Join(' ', columns.Select((c, i) => (c, i)).Where(x => which(x.c)).Select(x => (x.i + 1).ToString(CultureInfo.InvariantCulture)));
}
