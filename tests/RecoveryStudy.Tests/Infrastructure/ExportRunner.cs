using System.Text;
using RecoveryStudy.Exports;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>Runs an export the way the CLI and the API do, into memory, and reads CSV back.</summary>
public static class ExportRunner
{
    public static async Task<byte[]> ExportAsync(DatabaseFixture database, string study, ExportRequest request, bool parquet = false)
    {
        await using var db = database.CreateContext();
        var layout = (await StudyLayout.LoadAsync(db, study, CancellationToken.None))!;
        var (table, error) = DatasetExport.CreateTable(layout, request);
        Assert.True(table is not null, error);
        await using var dataSource = database.CreateDataSource();
        using var stream = new MemoryStream();
        await using (ITableWriter writer = parquet ? new ParquetTableWriter(stream) : new CsvTableWriter(stream))
        {
            await DatasetExport.WriteAsync(dataSource, layout, table, request.Filter, writer, null, CancellationToken.None);
        }
        return stream.ToArray();
    }

    public static async Task<Csv> ExportCsvAsync(DatabaseFixture database, string study, ExportRequest request) =>
        Csv.Parse(Encoding.UTF8.GetString(await ExportAsync(database, study, request)));
}

/// <summary>A parsed CSV: header and rows, with quoted fields (commas, quotes, line breaks) undone.</summary>
public sealed record Csv(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows)
{
    public string Cell(string[] row, string column)
    {
        var index = Header.ToList().IndexOf(column);
        Assert.True(index >= 0, $"no column {column}");
        return row[index];
    }

    public string[] Row(string participant) => Rows.Single(r => r[Header.ToList().IndexOf("participant")] == participant);

    public string Value(string participant, string column) => Cell(Row(participant), column);

    public static Csv Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else
            {
                Assert.NotEqual('\r', c);
                field.Append(c);
            }
        }
        Assert.True(fields.Count == 0 && field.Length == 0, "the CSV must end with a line break");
        Assert.All(records, r => Assert.Equal(records[0].Length, r.Length));
        return new Csv(records[0], records.Skip(1).ToList());
    }
}
