using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Imports;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Imports;

/// <summary>Imports with a mapping file: an earlier tool's column names and answer texts.</summary>
public sealed class MappedAnswerImportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const string Csv = """
        Respondent,Submitted,Due,Browser,Q1 cheerful,Q2 calm,Q3 active,Q4 fresh,Q5 interesting,Mood today,Helped
        P-0002,2026-05-01T10:00:00Z,,Firefox,Some of the time,2,3,4,5,Good,Lectures;Practice
        P-0003,,2026-04-20,Chrome,all of the time,5,5,5,5,Bad,

        """;

    private const string Mapping = """
        {
          "participant": "Respondent",
          "completed_at": "Submitted",
          "due_date": "Due",
          "columns": {
            "Q1 cheerful": "wb1", "Q2 calm": "wb2", "Q3 active": "wb3", "Q4 fresh": "wb4", "Q5 interesting": "wb5",
            "Mood today": "mood", "Helped": "helpful"
          },
          "recode": {
            "wb1": { "At no time": 0, "Some of the time": 1, "All of the time": 5 },
            "mood": { "Bad": 1, "Fair": 2, "Good": 3 },
            "helpful": { "Lectures": 1, "Peer talks": 2, "Practice": 3 }
          }
        }
        """;

    private string study = "";
    private int importedBefore;

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
        importedBefore = await ImportedCountAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<ImportResult> ImportAsync(string csv, string mapping)
    {
        await using var db = database.CreateContext();
        return await AnswerImport.RunAsync(db, TimeProvider.System, Actor.Cli, study, "post", "wellbeing", new StringReader(csv), ("old-tool.json", mapping), CancellationToken.None);
    }

    private async Task<int> ImportedCountAsync()
    {
        await using var db = database.CreateContext();
        return await db.Responses.CountAsync(r => r.Source == "import" && db.Studies.Any(s => s.Id == r.Invitation!.StudyId && s.Code == study));
    }

    [Fact]
    public async Task A_mapped_file_is_renamed_and_recoded_then_imported()
    {
        var result = await ImportAsync(Csv, Mapping);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Responses);
        var wide = await ExportRunner.ExportCsvAsync(database, study, new RecoveryStudy.Exports.ExportRequest("wide", "post"));
        Assert.Equal(("import", "1", "2", "3", "1", "0", "1"),
            (wide.Value("P-0002", "wellbeing_source"), wide.Value("P-0002", "wb1"), wide.Value("P-0002", "wb2"), wide.Value("P-0002", "mood"),
             wide.Value("P-0002", "helpful_1"), wide.Value("P-0002", "helpful_2"), wide.Value("P-0002", "helpful_3")));
        Assert.Equal("2026-05-01T10:00:00Z", wide.Value("P-0002", "completed_at"));
        Assert.Equal(("5", "1", "100"), (wide.Value("P-0003", "wb1"), wide.Value("P-0003", "mood"), wide.Value("P-0003", "who5_pct")));
        Assert.Equal("2026-04-20", wide.Value("P-0003", "due_date"));
    }

    [Theory]
    [InlineData("{ \"columns\": { \"Q1 cheerful\": \"wb1\", }", 0, "", "mapping_json")]
    [InlineData("[1, 2]", 0, "$", "mapping_structure")]
    [InlineData("{ \"participant\": \"Respondent\", \"columns\": { \"Q1 cheerful\": \"wb1\" }, \"colums\": {} }", 0, "$.colums", "mapping_structure")]
    [InlineData("{ \"participant\": \"Respondent\", \"columns\": { \"Q1 cheerful\": \"wb9\" } }", 0, "$.columns[\"Q1 cheerful\"]", "mapping_unknown_item")]
    [InlineData("{ \"participant\": \"Respondent\", \"columns\": { \"Q1 cheerful\": \"wb1\", \"Q2 calm\": \"wb1\" } }", 0, "$.columns[\"Q2 calm\"]", "mapping_duplicate_target")]
    [InlineData("{ \"participant\": \"Respondent\", \"columns\": { \"Q1 cheerful\": \"wb1\", \"Q1 cheerful\": \"wb2\" } }", 0, "$.columns[\"Q1 cheerful\"]", "mapping_duplicate_source")]
    [InlineData("{ \"participant\": \"Respondent\", \"columns\": { \"Q6 happy\": \"wb1\" } }", 0, "$.columns[\"Q6 happy\"]", "mapping_missing_source")]
    [InlineData("{ \"participant\": \"ID\", \"columns\": { \"Q1 cheerful\": \"wb1\" } }", 0, "$.participant", "mapping_missing_source")]
    [InlineData("{ \"participant\": \"Respondent\", \"completed_at\": \"Ended\", \"columns\": { \"Q1 cheerful\": \"wb1\" } }", 0, "$.completed_at", "mapping_missing_source")]
    [InlineData("{ \"participant\": \"Respondent\", \"columns\": { \"Q1 cheerful\": \"wb1\" }, \"recode\": { \"wb1\": { \"Never\": \"zero\" } } }", 0, "$.recode[\"wb1\"][\"Never\"]", "mapping_bad_code")]
    [InlineData("{ \"participant\": \"Respondent\", \"columns\": { \"Q1 cheerful\": \"wb1\" }, \"recode\": { \"wb2\": { \"Never\": 0 } } }", 0, "$.recode[\"wb2\"]", "mapping_unknown_item")]
    public async Task Each_problem_in_the_mapping_is_named_with_the_file_and_its_path_and_nothing_is_written(string mapping, int line, string path, string kind)
    {
        var result = await ImportAsync(Csv, mapping);

        var error = Assert.Single(result.Errors);
        Assert.Equal((kind, "old-tool.json"), (error.Kind, error.File));
        if (kind == "mapping_json")
        {
            Assert.Equal(1, error.Line);
            Assert.StartsWith("old-tool.json, line 1, byte ", error.ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal((line, path), (error.Line, error.Column));
            Assert.StartsWith($"old-tool.json, {path}: ", error.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(importedBefore, await ImportedCountAsync());
    }

    [Fact]
    public async Task A_text_the_recode_does_not_know_is_reported_under_the_source_column_and_nothing_is_written()
    {
        var csv = Csv.Replace("Some of the time", "Sometimes", StringComparison.Ordinal).Replace("Bad", "9", StringComparison.Ordinal);

        var result = await ImportAsync(csv, Mapping);

        Assert.Equal([(2, "Q1 cheerful (wb1)", "unmapped_value"), (3, "Mood today (mood)", "unknown_code")],
            result.Errors.Select(e => (e.Line, e.Column, e.Kind)));
        Assert.Equal(importedBefore, await ImportedCountAsync());
    }
}
