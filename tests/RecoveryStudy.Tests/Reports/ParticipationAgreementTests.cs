using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Html.Parser;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Reports;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Api;

namespace RecoveryStudy.Tests.Reports;

/// <summary>
/// Eligible, invited and completed per wave and cohort have one definition (ResponseReport): the
/// dashboard, the responses page, the API and the wide export all show the same figures for a
/// study that mixes cohorts, roles and every invitation state.
/// </summary>
public sealed class ParticipationAgreementTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly string[] Figures = ["eligible", "invited", "completed"];

    [Fact]
    public async Task Dashboard_responses_page_api_and_export_agree_on_eligible_invited_and_completed()
    {
        ConsoleWorld world;
        StaffUser analyst;
        string token;
        await using (var db = database.CreateContext())
        {
            world = await ConsoleWorld.CreateAsync(db);
            analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
            token = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, analyst, "agreement", CancellationToken.None);
        }
        var study = world.Study.Code;
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var console = await StaffSession.SignInAsync(app, analyst.Email);
        var parser = new HtmlParser();
        var dashboard = parser.ParseDocument(await console.GetStringAsync(new Uri($"/studies/{world.Study.Id}", UriKind.Relative)));
        var responses = parser.ParseDocument(await console.GetStringAsync(new Uri($"/studies/{world.Study.Id}/responses", UriKind.Relative)));
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var json = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/studies/{study}/responses", UriKind.Relative)));

        var compared = 0;
        foreach (var wave in new[] { "baseline", "post" })
        {
            var export = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest("wide", wave));
            foreach (var cohort in new string?[] { null, world.CohortA.Code, world.CohortB.Code })
            {
                var apiRow = json.RootElement.GetProperty("rows").EnumerateArray()
                    .SingleOrDefault(r => r.GetProperty("wave").GetString() == wave && r.GetProperty("cohort").GetString() == cohort);
                if (apiRow.ValueKind == JsonValueKind.Undefined)
                {
                    continue;
                }
                var where = $"{wave}/{cohort ?? "all"}";
                var fromApi = Figures.Select(f => apiRow.GetProperty(f).GetInt32().ToString(CultureInfo.InvariantCulture)).ToArray();
                var fromDashboard = Figures.Select(f => dashboard.QuerySelector(
                    $"#response-table tr[data-wave='{wave}'][data-cohort='{cohort ?? "All cohorts"}'] td[data-figure='{f}']")?.TextContent.Trim() ?? "(missing)").ToArray();
                var fromResponsesPage = Figures.Select(f => responses.QuerySelector(
                    $"tr[data-wave='{wave}'][data-cohort='{cohort ?? ResponseReport.AllCohorts}'] td[data-stat='{f}']")?.TextContent.Trim() ?? "(missing)").ToArray();
                var rows = export.Rows.Where(r => cohort is null || export.Cell(r, "cohort") == cohort).ToList();
                var fromExport = new[]
                {
                    rows.Count,
                    rows.Count(r => export.Cell(r, "sent_at").Length > 0 || export.Cell(r, "invitation_status") == InvitationStatus.Completed),
                    rows.Count(r => export.Cell(r, "invitation_status") == InvitationStatus.Completed),
                }.Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray();

                var expected = $"{where}: {string.Join(" / ", fromApi)}";
                Assert.Equal(expected, $"{where}: {string.Join(" / ", fromDashboard)}");
                Assert.Equal(expected, $"{where}: {string.Join(" / ", fromResponsesPage)}");
                Assert.Equal(expected, $"{where}: {string.Join(" / ", fromExport)}");
                compared++;
            }
        }
        Assert.True(compared >= 4, $"only {compared} wave and cohort rows compared");
    }
}
