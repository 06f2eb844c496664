using System.Text;
using CsvHelper;

namespace RecoveryStudy.Enrollment;

/// <summary>One data row of a roster file, with its line number and its cells by (lower-case) column name.</summary>
internal sealed record RosterRow(int Line, Dictionary<string, string> Cells)
{
    public string Get(string column) => Cells.TryGetValue(column, out var value) ? value : "";
}

/// <summary>
/// Reads a roster CSV as spreadsheets write it: UTF-8 with or without a byte order mark, comma
/// or semicolon separated (whichever the header line uses), quoted cells, blank lines ignored.
/// </summary>
internal static class RosterReader
{
    public const string AnchorPrefix = "anchor_";

    /// <summary>Columns flag_&lt;name&gt; set (1, yes, ja, tak, true) or clear (0, no, nej, nie, false, empty) a participant flag.</summary>
    public const string FlagPrefix = "flag_";
    public static readonly string[] Columns = ["code", "email", "name", "first_name", "language", "time_zone", "role", "cohort"];

    public static (List<string> Header, List<RosterRow> Rows, List<CsvProblem> Problems) Read(Stream csv)
    {
        using var buffer = new MemoryStream();
        csv.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var problems = new List<CsvProblem>();
        var firstLine = new UTF8Encoding(false).GetString(bytes, 0, Math.Min(bytes.Length, 4096)).TrimStart('\uFEFF').Split('\n', 2)[0];
        if (firstLine.Trim().Length == 0)
        {
            problems.Add(new CsvProblem(1, "header", $"the first line must name the columns: {string.Join(",", Columns)},{AnchorPrefix}..."));
            return ([], [], problems);
        }
        var options = new CsvReaderOptions
        {
            // The header line decides: a name or an address cell may hold either character.
            Separator = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ';' : ',',
            HasHeader = true,
            TrimWhitespace = true,
            TrimInsideQuotes = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            // Cells hold addresses and names: they stay out of exception messages.
            IncludeValuesInExceptions = false,
        };
        using var reader = CsvReader.Create(new MemoryStream(bytes), options, leaveOpen: false);
        reader.ReadHeader();
        var header = reader.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var rows = new List<RosterRow>();
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            var record = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i).Trim()).ToList();
            if (record.All(c => c.Length == 0))
            {
                continue;
            }
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++)
            {
                cells.TryAdd(header[i], i < record.Count ? record[i] : "");
            }
            if (record.Skip(header.Count).Any(c => c.Length > 0))
            {
                problems.Add(new CsvProblem(line, "row", $"has {record.Count} cells but the header names {header.Count} columns"));
            }
            rows.Add(new RosterRow(line, cells));
        }
        return (header, rows, problems);
    }
}
