using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Api;

namespace RecoveryStudy.Tests.Reports;

/// <summary>
/// Completion per role and team in a mixed FACT programme study: a missed interview counts like a
/// missed questionnaire, and the console page, the API and the per-wave export give the same figures.
/// </summary>
public sealed class RoleReportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Per_role_figures_count_missed_interviews_like_missed_questionnaires_and_agree_between_page_api_and_export()
    {
        // 20 April 2027: both teams' first interviews and questionnaires closed before these people were enrolled (missed).
        await using var world = await FactProgrammeWorld.CreateAsync(database, new DateTimeOffset(2027, 4, 20, 10, 0, 0, TimeSpan.Zero));
        Assert.True((await world.RosterAsync(
            "PR-a1,professional,team-a,,,", "PR-a2,professional,team-a,,,", "PR-b1,professional,team-b,,,",
            "PW-a1,peer_worker,team-a,2027-04-01,,", "PT-a1,patient,team-a,,2026-04-20,1", "PT-b1,patient,team-b,,2026-04-20,")).Succeeded);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        // PR-a1's first interview was held after all (recorded late); PR-a2 answered the first questionnaire on paper.
        var held = await world.TaskAsync("PR-a1", "prof_interview_start");
        await world.Db.InterviewTasks.Where(t => t.Id == held.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, InterviewStatus.Done)
            .SetProperty(t => t.CompletedOn, new DateOnly(2027, 2, 10)).SetProperty(t => t.DurationMinutes, 50).SetProperty(t => t.Mode, InterviewMode.Video));
        var pr2 = await world.ParticipantAsync("PR-a2");
        var answered = new DateTime(2027, 2, 12, 10, 0, 0, DateTimeKind.Utc);
        await world.Db.Invitations.Where(i => i.ParticipantId == pr2.Id && i.Wave!.Code == "prof_attitudes_start").ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, InvitationStatus.Completed).SetProperty(i => i.SentAt, answered.AddDays(-10)).SetProperty(i => i.CompletedAt, answered));

        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var analyst = await StaffSession.CreateUserAsync(world.Db, StaffRole.Analyst);
        using var api = app.CreateClient(followRedirects: false);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await ApiTokenAuth.IssueAsync(world.Db, TimeProvider.System, Actor.Cli, analyst, "test", CancellationToken.None));
        async Task<Csv> CsvAsync(string query) => Csv.Parse(await api.GetStringAsync(new Uri($"/api/studies/{world.Code}/{query}", UriKind.Relative)));

        // The API's per-role table: interview and questionnaire at the team's start, all teams and team A.
        var byRole = await CsvAsync("responses?by=role&format=csv");
        string[] Figures(string role, string wave, string cohort, params string[] columns)
        {
            var row = byRole.Rows.Single(r => byRole.Cell(r, "role") == role && byRole.Cell(r, "wave") == wave && byRole.Cell(r, "cohort") == cohort);
            return [.. columns.Select(c => byRole.Cell(row, c))];
        }
        string[] stats = ["kind", "eligible", "invited", "completed", "missed"];
        Assert.Equal(["interview", "3", "3", "1", "2"], Figures("professional", "prof_interview_start", "(all)", stats));
        Assert.Equal(["interview", "2", "2", "1", "1"], Figures("professional", "prof_interview_start", "team-a", stats));
        Assert.Equal(["questionnaire", "3", "1", "1", "2"], Figures("professional", "prof_attitudes_start", "(all)", stats));
        Assert.Equal(["questionnaire", "2", "0", "0", "2"], Figures("patient", "recovery_0m", "(all)", stats));
        // Only the patient selected for it is eligible for the patient interview (its task is open, its window ahead).
        Assert.Equal(["interview", "1", "0", "0"], Figures("patient", "patient_interview_12m", "(all)", "kind", "eligible", "completed", "missed"));
        Assert.DoesNotContain(byRole.Rows, r => byRole.Cell(r, "role") == "peer_worker" && byRole.Cell(r, "wave").StartsWith("prof_", StringComparison.Ordinal));

        // The response report limited to a role, with its role column.
        var responses = await CsvAsync("responses?role=professional&format=csv");
        var attitudes = responses.Rows.Single(r => responses.Cell(r, "wave") == "prof_attitudes_start" && responses.Cell(r, "cohort") == "(all)");
        Assert.Equal(["3", "1", "2", "professional"], new[] { "eligible", "completed", "missed", "role" }.Select(c => responses.Cell(attitudes, c)));
        Assert.DoesNotContain(responses.Rows, r => responses.Cell(r, "wave").StartsWith("recovery_", StringComparison.Ordinal));

        // The per-wave export with the same role filter: one row per professional, the same completions.
        var export = await CsvAsync("export?format=wide&wave=prof_attitudes_start&role=professional");
        Assert.Equal(["PR-a1", "PR-a2", "PR-b1"], export.Rows.Select(r => export.Cell(r, "participant")).Order(StringComparer.Ordinal));
        Assert.All(export.Rows, r => Assert.Equal("professional", export.Cell(r, "role")));
        Assert.Equal(1, export.Rows.Count(r => export.Cell(r, "invitation_status") == InvitationStatus.Completed));
        Assert.Equal(2, export.Rows.Count(r => export.Cell(r, "invitation_status") == InvitationStatus.Missed));

        // The paired comparison takes the role too, and says which in its role column; an unknown role is refused by name.
        var compare = await CsvAsync("compare?from=prof_attitudes_start&to=prof_attitudes_24m&item=att_valued&role=professional&format=csv");
        Assert.Equal("professional", compare.Cell(compare.Rows.Single(), "role"));
        var unknown = await api.GetAsync(new Uri($"/api/studies/{world.Code}/responses?role=nurse", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("role: the study has no role 'nurse'", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The console page with the role filter shows the same figures, and only that role.
        using var console = await StaffSession.SignInAsync(app, analyst.Email, joinStudies: true);
        var page = new HtmlParser().ParseDocument(await console.GetStringAsync(new Uri($"/studies/{world.StudyId}/responses?role=professional", UriKind.Relative)));
        string Cell(string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "(missing)";
        Assert.Equal(["1", "2", "3"], new[] { "completed", "missed", "invited" }.Select(s => Cell($"#by-role tr[data-role='professional'][data-wave='prof_interview_start'][data-cohort='(all)'] [data-stat='{s}']")));
        Assert.Equal(["1", "1"], new[] { "completed", "missed" }.Select(s => Cell($"#by-role tr[data-role='professional'][data-wave='prof_interview_start'][data-cohort='team-a'] [data-stat='{s}']")));
        Assert.Equal("1", Cell("#responses tr[data-wave='prof_attitudes_start'][data-cohort='(all)'] [data-stat='completed']"));
        Assert.Empty(page.QuerySelectorAll("#by-role tr[data-role='patient']"));
        Assert.Empty(page.QuerySelectorAll("#responses tr[data-wave='recovery_0m']"));
    }
}
