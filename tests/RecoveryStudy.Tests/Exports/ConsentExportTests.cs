using System.Text;
using Parquet;
using RecoveryStudy.Consent;
using RecoveryStudy.Exports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Exports;

/// <summary>
/// Every analysis table (long, wide, wide-across; CSV and Parquet) and every document describing
/// one (codebook, R, SPSS, Stata) carries each participant's consent: status, version, time and the
/// optional clauses' answers, as codes only.
/// </summary>
public sealed class ConsentExportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Wide_per_wave_has_consent_columns_after_the_participant_columns()
    {
        var world = await WorldAsync(agree: true, optional: false);
        var csv = await ExportRunner.ExportCsvAsync(database, world.Study.Code, new ExportRequest(TableKind.Wide, "post_course"));
        Assert.Equal(["participant", "cohort", "role", "participant_status", "consent_status", "consent_version", "consent_at", "consent_future_contact", "invitation_status"],
            csv.Header.Take(9));
        Assert.Equal("agreed", csv.Value("P-0042", "consent_status"));
        Assert.Equal("1", csv.Value("P-0042", "consent_version"));
        Assert.Matches(@"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d", csv.Value("P-0042", "consent_at"));
        Assert.Equal("0", csv.Value("P-0042", "consent_future_contact"));
        Assert.DoesNotContain("consent_take_part", csv.Header);
    }

    [Theory]
    [InlineData(true, true, "agreed", "1")]
    [InlineData(false, false, "declined", "")]
    public async Task Consent_columns_show_the_answer_given(bool agree, bool optional, string status, string futureContact)
    {
        var world = await WorldAsync(agree, optional);
        var csv = await ExportRunner.ExportCsvAsync(database, world.Study.Code, new ExportRequest(TableKind.Wide, "post_course"));
        Assert.Equal((status, futureContact), (csv.Value("P-0042", "consent_status"), csv.Value("P-0042", "consent_future_contact")));
    }

    [Fact]
    public async Task A_participant_who_has_not_answered_is_not_given()
    {
        await using var db = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(db);
        await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent());
        var csv = await ExportRunner.ExportCsvAsync(database, world.Study.Code, new ExportRequest(TableKind.Wide, "post_course"));
        Assert.Equal(("not_given", "", ""), (csv.Value("P-0042", "consent_status"), csv.Value("P-0042", "consent_version"), csv.Value("P-0042", "consent_at")));
    }

    [Fact]
    public async Task Long_table_repeats_the_consent_columns_after_the_role_on_every_row()
    {
        var world = await WorldAsync(agree: true, optional: true);
        var csv = await ExportRunner.ExportCsvAsync(database, world.Study.Code, new ExportRequest(TableKind.Long));
        Assert.Equal(["study", "cohort", "participant", "role", .. ConsentHeader, "wave"], csv.Header.Take(9));
        var rows = csv.Rows.Where(r => csv.Cell(r, "participant") == "P-0042").ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(("agreed", "1", "1"), (csv.Cell(r, "consent_status"), csv.Cell(r, "consent_version"), csv.Cell(r, "consent_future_contact"))));
    }

    [Fact]
    public async Task Wide_across_waves_has_consent_columns_after_the_participant_columns()
    {
        var world = await WorldAsync(agree: true, optional: true);
        var csv = await ExportRunner.ExportCsvAsync(database, world.Study.Code, new ExportRequest(TableKind.WideAcross));
        Assert.Equal(["participant", "cohort", "role", "participant_status", .. ConsentHeader], csv.Header.Take(8));
        Assert.Equal(("agreed", "1"), (csv.Value("P-0042", "consent_status"), csv.Value("P-0042", "consent_future_contact")));
    }

    [Theory]
    [InlineData(TableKind.Long, null)]
    [InlineData(TableKind.WideAcross, null)]
    [InlineData(TableKind.Wide, "post_course")]
    public async Task Parquet_has_the_consent_columns_with_the_csv_values(string kind, string? wave)
    {
        var world = await WorldAsync(agree: false, optional: false);
        var request = new ExportRequest(kind, wave);
        var csv = await ExportRunner.ExportCsvAsync(database, world.Study.Code, request);
        using var stream = new MemoryStream(await ExportRunner.ExportAsync(database, world.Study.Code, request, parquet: true));
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(csv.Header, fields.Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        var status = new string?[group.RowCount];
        await group.ReadAsync(fields.Single(f => f.Name == "consent_status"), status.AsMemory());
        Assert.NotEmpty(status);
        Assert.All(status, s => Assert.Equal("declined", s));
    }

    [Theory]
    [InlineData(TableKind.Long, null)]
    [InlineData(TableKind.WideAcross, null)]
    [InlineData(TableKind.Wide, "post_course")]
    public async Task Codebook_and_syntax_files_describe_the_consent_columns(string kind, string? wave)
    {
        var world = await WorldAsync(agree: true, optional: true);
        await using var db = database.CreateContext();
        var layout = (await StudyLayout.LoadAsync(db, world.Study.Code, CancellationToken.None))!;
        var table = DatasetExport.CreateTable(layout, new ExportRequest(kind, wave)).Table!;

        var codebook = Csv.Parse(Codebook.Csv(table));
        var clause = codebook.Rows.Single(r => codebook.Cell(r, "variable") == "consent_future_contact");
        Assert.Equal(("numeric", "0=no; 1=yes"), (codebook.Cell(clause, "type"), codebook.Cell(clause, "codes")));
        Assert.Contains(codebook.Rows, r => codebook.Cell(r, "variable") == "consent_status");
        foreach (var (name, text) in new[] { ("R", RScript.For(table)), ("SPSS", SpssSyntax.For(table)), ("Stata", StataDo.For(table)) })
        {
            Assert.True(ConsentHeader.All(c => text.Contains(c, StringComparison.Ordinal)), $"{name} syntax lacks a consent column");
        }
    }

    [Theory]
    [InlineData(TableKind.Long, null)]
    [InlineData(TableKind.WideAcross, null)]
    [InlineData(TableKind.Wide, "post_course")]
    public async Task Consent_columns_carry_no_address_or_name(string kind, string? wave)
    {
        var world = await WorldAsync(agree: true, optional: true);
        var text = Encoding.UTF8.GetString(await ExportRunner.ExportAsync(database, world.Study.Code, new ExportRequest(kind, wave)));
        Assert.Contains("agreed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada", text, StringComparison.Ordinal);
    }

    private static readonly string[] ConsentHeader = ["consent_status", "consent_version", "consent_at", "consent_future_contact"];

    private async Task<SurveyWorld> WorldAsync(bool agree, bool optional)
    {
        await using var db = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(db);
        await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent(), $"p42.{Guid.NewGuid():N}@example.org");
        var ticked = new HashSet<string> { "take_part", "data_use" };
        if (optional)
        {
            ticked.Add("future_contact");
        }
        var outcome = await ConsentAnswer.RecordAsync(db, TimeProvider.System, new ConsentRequest(world.Invitation.Id, agree, ticked, "en"), CancellationToken.None);
        Assert.True(outcome.Stored);
        return world;
    }
}
