using System.Text;
using System.Text.Json;
using Parquet;
using RecoveryStudy.Exports;
using RecoveryStudy.Tests.Infrastructure;
using static RecoveryStudy.Tests.Infrastructure.Builders.RaCourseGraduates;

namespace RecoveryStudy.Tests.Exports;

/// <summary>
/// The scale model through the documents that describe a table, on the RA course seed (ratings
/// 1-6 with only the ends labelled, a yes/no gate, a mean score): the codebook, the Parquet
/// metadata, the Stata do-file (read by <see cref="StataDoReader"/>) and the labels' language.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ScaleExportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("rs-scale-").FullName;
    private static readonly ExportRequest Request = new(TableKind.Wide, "post_course");

    public async Task InitializeAsync()
    {
        await SetUpAsync(database, folder);
        await EnsureImportedAsync(database, folder);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<ExportTable> TableAsync(string? language = null)
    {
        await using var db = database.CreateContext();
        var layout = (await StudyLayout.LoadAsync(db, Seeds.RaCourse, CancellationToken.None, language))!;
        return DatasetExport.CreateTable(layout, Request).Table!;
    }

    [Fact]
    public async Task Codebook_lists_every_scale_point_the_range_yes_no_codes_score_definitions_and_distinct_labels()
    {
        var codebook = Csv.Parse(Codebook.Csv(await TableAsync("en")));
        string Field(string variable, string column) => codebook.Cell(codebook.Rows.Single(r => r[0] == variable), column);
        Assert.Equal(("1=1 - not at all; 2; 3; 4; 5; 6=6 - very much", "1-6"), (Field("mod_comm_useful", "codes"), Field("mod_comm_useful", "scale")));
        Assert.Equal("1=Yes; 0=No", Field("mod_selfadv_taken", "codes"));
        Assert.Equal("shown when mod_selfadv_taken is 1", Field("mod_selfadv_useful", "shown_if"));
        Assert.Equal("Module: Communication: How useful was the module for your work and your life?", Field("mod_comm_useful", "label"));
        Assert.Equal("Module: Ethics: How useful was the module for your work and your life?", Field("mod_ethics_useful", "label"));
        var score = Field("eval_useful_mean", "computed_as");
        Assert.StartsWith("mean of the answered items: mod_comm_useful, mod_cogdist_useful,", score, StringComparison.Ordinal);
        Assert.Contains("(8 items); computed when at least 6 answered, else -5; times 1;", score, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Labels_are_in_the_asked_language_when_the_study_has_it_else_in_its_default()
    {
        Assert.StartsWith("Moduł: Komunikacja: Na ile moduł", (await TableAsync()).Columns.Single(c => c.Name == "mod_comm_useful").Label, StringComparison.Ordinal);
        Assert.StartsWith("Module: Communication: How useful", (await TableAsync("en")).Columns.Single(c => c.Name == "mod_comm_useful").Label, StringComparison.Ordinal);
        Assert.StartsWith("Moduł: Komunikacja", (await TableAsync("da")).Columns.Single(c => c.Name == "mod_comm_useful").Label, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parquet_carries_the_codebook_with_the_rating_scale_and_the_missing_codes()
    {
        await using var stream = new MemoryStream(await ExportRunner.ExportAsync(database, Seeds.RaCourse, Request, parquet: true));
        await using var reader = await ParquetReader.CreateAsync(stream);
        using var codebook = JsonDocument.Parse(reader.CustomMetadata[ParquetMetadata.Key]);
        var column = codebook.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "mod_comm_useful");
        Assert.Equal((1, 6), (column.GetProperty("scale").GetProperty("min").GetInt32(), column.GetProperty("scale").GetProperty("max").GetInt32()));
        Assert.Equal([1, 6], column.GetProperty("value_labels").EnumerateArray().Select(v => v.GetProperty("code").GetInt32()));
        Assert.Contains(column.GetProperty("missing_codes").EnumerateArray(), m => m.GetProperty("code").GetInt32() == MissingCode.InstrumentNotAnswered);
    }

    [Fact]
    public async Task Stata_do_file_reads_back_every_value_with_missing_reasons_as_extended_missing_values()
    {
        var table = await TableAsync();
        var csv = Csv.Parse(Encoding.UTF8.GetString(await ExportRunner.ExportAsync(database, Seeds.RaCourse, Request)));
        var stata = StataDoReader.Parse(StataDo.For(table), csv.Header.Count);
        Assert.All(stata.ColumnNames.Values, n => Assert.True(n.Length <= StataDo.MaxName, n));
        for (var i = 0; i < Respondents; i++)
        {
            var row = csv.Row($"RA-{i + 1:000}");
            for (var m = 0; m < Modules.Length; m++)
            {
                for (var c = 0; c < Criteria.Length; c++)
                {
                    var code = $"mod_{Modules[m]}_{Criteria[c]}";
                    var back = stata.Value(code, csv.Cell(row, code));
                    var expected = Rating(i, m, c)?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        ?? (Modules[m] == "selfadv" && !TookSelfAdvocacy(i) ? StataDo.Extended(MissingCode.NotShown) : StataDo.Extended(MissingCode.NotAnswered));
                    Assert.Equal(expected, back);
                }
            }
            Assert.Equal(TookSelfAdvocacy(i) ? "1" : "0", stata.Value("mod_selfadv_taken", csv.Cell(row, "mod_selfadv_taken")));
        }
        Assert.Equal(("1 - wcale", null, "6 - bardzo"), (stata.Label("mod_comm_useful", "1"), stata.Label("mod_comm_useful", "3"), stata.Label("mod_comm_useful", "6")));
        Assert.Equal("not shown by a condition", stata.Label("mod_selfadv_useful", StataDo.Extended(MissingCode.NotShown)));
        Assert.Equal(("Tak", "Nie"), (stata.Label("mod_selfadv_taken", "1"), stata.Label("mod_selfadv_taken", "0")));
    }
}
