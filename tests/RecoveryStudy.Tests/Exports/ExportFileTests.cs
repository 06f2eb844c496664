using System.Text;
using Parquet;
using RecoveryStudy.Exports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Exports;

/// <summary>Properties every export file has: repeatable bytes, no personal data, Parquet equal to CSV.</summary>
public sealed class ExportFileTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private string study = "";

    public static TheoryData<string, string?, bool> Exports() => new()
    {
        { TableKind.Long, null, false }, { TableKind.Long, null, true },
        { TableKind.Wide, "baseline", false }, { TableKind.Wide, "post", true },
        { TableKind.WideAcross, null, false }, { TableKind.WideAcross, null, true },
    };

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task The_same_data_exports_to_the_same_bytes(string table, string? wave, bool parquet)
    {
        var first = await ExportRunner.ExportAsync(database, study, new ExportRequest(table, wave), parquet);
        var second = await ExportRunner.ExportAsync(database, study, new ExportRequest(table, wave), parquet);
        Assert.True(first.Length > 100);
        Assert.Equal(first, second);
        if (!parquet)
        {
            Assert.DoesNotContain((byte)'\r', first);
            Assert.False(first.AsSpan().StartsWith(Encoding.UTF8.GetPreamble()), "no byte-order mark");
        }
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task No_export_carries_an_email_address_or_a_name(string table, string? wave, bool parquet)
    {
        var bytes = await ExportRunner.ExportAsync(database, study, new ExportRequest(table, wave), parquet);
        // Parquet pages are compressed: read its values back rather than searching its bytes.
        var text = parquet ? await ParquetText(bytes) : Encoding.UTF8.GetString(bytes);
        Assert.Contains("P-0001", text);
        Assert.DoesNotContain("@", text);
        foreach (var name in AnalystWorld.Names.SelectMany(n => n.Split(' ')))
        {
            Assert.DoesNotContain(name, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<string> ParquetText(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var text = new StringBuilder();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in reader.Schema.GetDataFields().Where(f => f.ClrType != typeof(double)))
            {
                var values = new string?[group.RowCount];
                await group.ReadAsync(field, values.AsMemory());
                text.AppendJoin('\n', values).Append('\n');
            }
        }
        return text.ToString();
    }

    [Fact]
    public async Task Parquet_holds_the_same_columns_and_values_as_the_csv()
    {
        var request = new ExportRequest(TableKind.Wide, "baseline");
        var csv = await ExportRunner.ExportCsvAsync(database, study, request);
        var bytes = await ExportRunner.ExportAsync(database, study, request, parquet: true);
        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(csv.Header, fields.Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(csv.Rows.Count, group.RowCount);

        var who5 = fields.Single(f => f.Name == "who5_pct");
        Assert.Equal(typeof(double), who5.ClrType);
        var scores = new double?[csv.Rows.Count];
        await group.ReadAsync<double>(who5, scores.AsMemory());
        Assert.Equal(csv.Rows.Select(r => (double?)double.Parse(csv.Cell(r, "who5_pct"), System.Globalization.CultureInfo.InvariantCulture)), scores);

        var comment = fields.Single(f => f.Name == "comment");
        var comments = new string?[csv.Rows.Count];
        await group.ReadAsync(comment, comments.AsMemory());
        Assert.Equal(csv.Rows.Select(r => csv.Cell(r, "comment")), comments.Select(c => c ?? ""));
        Assert.Null(comments[1]);
    }
}
