using RecoveryStudy.Consent;
using RecoveryStudy.Exports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Exports;

/// <summary>The per-wave table carries each participant's consent: status, version, time and the optional clauses' answers.</summary>
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

    private async Task<SurveyWorld> WorldAsync(bool agree, bool optional)
    {
        await using var db = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(db);
        await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent());
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
