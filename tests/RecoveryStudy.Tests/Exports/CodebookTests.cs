using System.Text;
using RecoveryStudy.Exports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Exports;

/// <summary>
/// The codebook, the R script and the SPSS syntax of a table. The R script is run by Rscript and
/// the syntax by GNU PSPP on the exported CSV (both installed for tests by ops/lib/deps.sh), so a
/// syntax error or a wrong label fails here rather than on an analyst's desk.
/// </summary>
public sealed class CodebookTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private string study = "";
    private string folder = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
        folder = Directory.CreateTempSubdirectory("rs-codebook-").FullName;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<ExportTable> TableAsync(ExportRequest request)
    {
        await using var db = database.CreateContext();
        var layout = (await StudyLayout.LoadAsync(db, study, CancellationToken.None))!;
        return DatasetExport.CreateTable(layout, request).Table!;
    }

    /// <summary>Writes the table's CSV under its own name, as an analyst would save it.</summary>
    private async Task<ExportTable> WriteCsvAsync(ExportRequest request)
    {
        var table = await TableAsync(request);
        await File.WriteAllBytesAsync(Path.Combine(folder, table.Name + ".csv"), await ExportRunner.ExportAsync(database, study, request));
        return table;
    }

    [Fact]
    public async Task Codebook_lists_every_column_with_label_type_codes_instrument_version_and_wave()
    {
        var table = await TableAsync(new ExportRequest(TableKind.WideAcross));
        var codebook = Csv.Parse(Codebook.Csv(table));
        Assert.Equal(Codebook.Header, codebook.Header);
        Assert.Equal(table.Columns.Select(c => c.Name), codebook.Rows.Select(r => r[0]));
        string Field(string variable, string column) => codebook.Cell(codebook.Rows.Single(r => r[0] == variable), column);
        Assert.Equal("I have felt cheerful", Field("wb1__post", "label"));
        Assert.Equal("numeric", Field("wb1__post", "type"));
        Assert.StartsWith("0=At no time; 1=Some of the time", Field("wb1__post", "codes"));
        Assert.Equal("-1=item not answered; -2=not shown by a condition; -3=not invited; -4=withdrawn; -5=too few items answered for the score; -6=not in the instrument version answered; -7=invited, instrument not answered", Field("wb1__post", "missing_codes"));
        Assert.Equal(("wellbeing", "1", "post"), (Field("wb1__post", "instrument"), Field("wb1__post", "instrument_version"), Field("wb1__post", "wave")));
        Assert.Equal("1;2", Field("h1__followup", "instrument_version"));
        Assert.Equal("2", Field("h5__baseline", "instrument_version"));
        Assert.Equal("0=not chosen; 1=chosen", Field("helpful_2__baseline", "codes"));
        Assert.Equal(("text", ""), (Field("comment__baseline", "type"), Field("comment__baseline", "missing_codes")));
        Assert.Equal("date", Field("started__baseline", "type"));
        Assert.Equal("datetime", Field("completed_at__baseline", "type"));
    }

    [Fact]
    public async Task R_script_reads_the_csv_and_applies_factors_labels_and_missing_reasons()
    {
        var table = await WriteCsvAsync(new ExportRequest(TableKind.Wide, "baseline"));
        await File.WriteAllTextAsync(Path.Combine(folder, table.Name + ".R"), RScript.For(table), new UTF8Encoding(false));
        await File.WriteAllTextAsync(Path.Combine(folder, "check.R"), $$"""
            source("{{table.Name}}.R")
            stopifnot(nrow(d) == 6)
            stopifnot(is.factor(d$mood), identical(levels(d$mood), c("Bad", "Fair", "Good")), as.character(d$mood[1]) == "Good")
            stopifnot(is.numeric(d$wb1), d$wb1[1] == 3, is.factor(d$wb1_f), as.character(d$wb1_f[1]) == "More than half of the time")
            stopifnot(is.na(d$wb3[2]), as.character(why_missing$wb3[2]) == "item not answered")
            stopifnot(d$who5_pct[1] == 68, is.na(d$who5_pct[2]), as.character(why_missing$who5_pct[2]) == "too few items answered for the score")
            stopifnot(as.character(why_missing$h5[1]) == "not in the instrument version answered", is.na(why_missing$wb1[1]))
            stopifnot(as.character(d$helpful_1[1]) == "chosen", is.na(d$helpful_1[2]))
            stopifnot(attr(d$wb1, "label") == "I have felt cheerful", attr(d$participant, "label") == "Participant code (pseudonymous)")
            stopifnot(d$comment[1] == "Very useful, \"truly\" thanks", is.na(d$comment[2]))
            stopifnot(d$participant[6] == "P-0006", d$hope_mean[2] == 2.333333)
            cat("checks passed\n")
            """);
        var (exit, output) = await ExternalTool.RunAsync("Rscript", folder, "check.R");
        Assert.True(exit == 0, output);
        Assert.Contains("checks passed", output);
    }

    [Fact]
    public async Task Spss_syntax_runs_in_pspp_with_variable_labels_value_labels_and_missing_values()
    {
        var table = await WriteCsvAsync(new ExportRequest(TableKind.WideAcross));
        var syntax = SpssSyntax.For(table);
        Assert.Contains("VARIABLE LABELS", syntax);
        Assert.Contains("VALUE LABELS", syntax);
        Assert.Contains("MISSING VALUES", syntax);
        await File.WriteAllTextAsync(Path.Combine(folder, "run.sps"), syntax + """
            DISPLAY DICTIONARY /VARIABLES=mood__baseline who5_pct__baseline.
            FREQUENCIES /VARIABLES=mood__baseline who5_pct__baseline.
            LIST /VARIABLES=participant comment__baseline /CASES=FROM 1 TO 1.
            """, new UTF8Encoding(false));
        var (exit, output) = await ExternalTool.RunAsync("pspp", folder, "-O", "box=ascii", "run.sps");
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("error", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("warning", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Mood today", output);
        Assert.Contains("Good", output);
        Assert.Contains("too few items answered for the score", output);
        Assert.Contains("P-0001", output);
        Assert.Contains("Very useful", output);
    }
}
