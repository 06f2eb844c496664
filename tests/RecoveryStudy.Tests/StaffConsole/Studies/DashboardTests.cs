using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Studies;

public sealed class DashboardTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Dashboard_figures_match_the_database_for_a_known_mix_of_invitation_states()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, analyst.Email);

        var html = await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}", UriKind.Relative));
        var page = new HtmlParser().ParseDocument(html);
        string Figure(string table, string cohort, string figure) =>
            page.QuerySelector($"#{table} tr[data-wave='baseline'][data-cohort='{cohort}'] td[data-figure='{figure}']")?.TextContent.Trim() ?? "(missing)";

        var expected = new Dictionary<string, (string All, string A, string B)>
        {
            ["eligible"] = ("10", "6", "4"),
            ["invited"] = ("7", "5", "2"),
            ["reminded-1"] = ("1", "1", "0"),
            ["reminded-2"] = ("2", "1", "1"),
            ["reminded-3"] = ("1", "1", "0"),
            ["opened"] = ("5", "3", "2"),
            ["started"] = ("4", "3", "1"),
            ["completed"] = ("3", "2", "1"),
            ["expired"] = ("1", "1", "0"),
            ["missed"] = ("1", "0", "1"),
            ["undeliverable"] = ("1", "1", "0"),
            ["withdrawn"] = ("1", "1", "0"),
            ["rate"] = ("43%", "40%", "50%"),
        };
        foreach (var (figure, (all, a, b)) in expected)
        {
            Assert.Equal((figure, all), (figure, Figure("response-table", "All cohorts", figure)));
            Assert.Equal((figure, a), (figure, Figure("response-table", "ed8", figure)));
            Assert.Equal((figure, b), (figure, Figure("response-table", "fact1", figure)));
        }
        string Step(string step, string figure) =>
            page.QuerySelector($"#steps-table tr[data-wave='baseline'][data-step='{step}'] td[data-figure='{figure}']")?.TextContent.Trim() ?? "(missing)";
        Assert.Equal("1", Step("invitation", "completed"));
        Assert.Equal("1", Step("reminder 1", "completed"));
        Assert.Equal("1", Step("reminder 2", "completed"));

        // The same states counted straight from the tables, independently of the page's code.
        await using var dataSource = database.CreateDataSource();
        var byStatus = new Dictionary<string, long>();
        await using (var command = dataSource.CreateCommand("SELECT status, count(*) FROM invitations WHERE wave_id = $1 GROUP BY status"))
        {
            command.Parameters.AddWithValue(world.Baseline.Id);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                byStatus[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        foreach (var status in new[] { InvitationStatus.Completed, InvitationStatus.Expired, InvitationStatus.Missed, InvitationStatus.Undeliverable, InvitationStatus.Withdrawn })
        {
            Assert.Equal(byStatus.GetValueOrDefault(status).ToString(System.Globalization.CultureInfo.InvariantCulture), Figure("response-table", "All cohorts", status));
        }
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM invitations WHERE wave_id = $1 AND sent_at IS NOT NULL");
        count.Parameters.AddWithValue(world.Baseline.Id);
        var invited = (long)(await count.ExecuteScalarAsync())!;
        Assert.Equal(invited.ToString(System.Globalization.CultureInfo.InvariantCulture), Figure("response-table", "All cohorts", "invited"));

        // Warnings: below the 80% target, and one rejected address.
        Assert.Contains("below the response target", html, StringComparison.Ordinal);
        Assert.Contains("1 participant has an email address the mail server rejected", html, StringComparison.Ordinal);
        // The queued invitation of P-0010 is due within the week; the chart is an SVG image with a text alternative.
        Assert.NotNull(page.QuerySelector("#due-table td"));
        var chart = page.QuerySelector("figure.chart img");
        Assert.StartsWith("data:image/svg+xml;base64,", chart?.GetAttribute("src"), StringComparison.Ordinal);
        Assert.Contains("ed8: 2 completed", chart?.GetAttribute("alt"), StringComparison.Ordinal);
        // Analysts never see an address on the dashboard.
        Assert.DoesNotContain("@example.org", html.Replace(analyst.Email, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Steps_table_counts_the_completions_and_opt_outs_that_followed_each_email_step()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        // Sent in the world: invitation on day 0 to 7 people, reminder 1 on day 3 to 4, reminder 2 on day 7 to 3,
        // the last chance on day 12 to P-0004; completions on day 1 (P-0001), 4 (P-0002) and 8 (P-0007).
        // Opt-outs: P-0008 on day 2 (after the invitation; its reminder failed), P-0003 on day 7.5 (after
        // reminder 2), P-0004 on day 13 (after the last chance), P-0009 who was never emailed (counted nowhere).
        var start = world.Invitations["P-0001"].SentAt!.Value;
        foreach (var (code, day) in new[] { ("P-0008", 2.0), ("P-0003", 7.5), ("P-0004", 13.0), ("P-0009", 1.0) })
        {
            var at = start.AddDays(day);
            await db.Participants.Where(p => p.Id == world.Participants[code].Id).ExecuteUpdateAsync(p => p.SetProperty(x => x.OptedOutAt, at));
        }
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, analyst.Email);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}", UriKind.Relative)));
        string Step(string step, string figure) =>
            page.QuerySelector($"#steps-table tr[data-wave='baseline'][data-step='{step}'] td[data-figure='{figure}']")?.TextContent.Trim() ?? "(missing)";
        var expected = new (string Step, string Sent, string Completed, string OptedOut)[]
        {
            ("invitation", "7", "1", "1"),
            ("reminder 1", "4", "1", "0"),
            ("reminder 2", "3", "1", "1"),
            ("reminder 3", "0", "0", "0"),
            ("last chance", "1", "0", "1"),
        };
        foreach (var (step, sent, completed, optedOut) in expected)
        {
            Assert.Equal((step, sent, completed, optedOut), (step, Step(step, "sent"), Step(step, "completed"), Step(step, "opted-out")));
        }
        // The next 7 days: P-0010's queued invitation on its local day (Europe/Warsaw), in the invitation column.
        var queuedAt = await db.Messages.Where(m => m.InvitationId == world.Invitations["P-0010"].Id && m.Status == MessageStatus.Queued)
            .Select(m => m.NextAttemptAt).SingleAsync();
        var dueDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(queuedAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw")));
        var dueRows = page.QuerySelectorAll("#due-table tbody tr").Select(r => r.GetAttribute("data-day")).ToList();
        Assert.True(dueRows.Count >= 7, $"{dueRows.Count} days in the next-7-days table");
        Assert.Equal("1", page.QuerySelector($"#due-table tr[data-day='{dueDay:yyyy-MM-dd}'] td[data-step='invitation']")?.TextContent);
        Assert.Equal(1, page.QuerySelectorAll("#due-table td[data-step='all']").Sum(c => int.Parse(c.TextContent, System.Globalization.CultureInfo.InvariantCulture)));
        // The rows come in step order, the five standard steps always shown.
        Assert.Equal(["invitation", "reminder 1", "reminder 2", "reminder 3", "last chance"],
            page.QuerySelectorAll("#steps-table tr[data-wave='baseline']").Select(r => r.GetAttribute("data-step")).ToList());
        // The headline leads the page: the rate card of the wave against the 80% target.
        Assert.Equal("rates", page.QuerySelector("main h2")?.Id);
        Assert.Equal("43%", page.QuerySelector(".cards.rates li[data-wave='baseline'] [data-figure='rate']")?.TextContent.Trim());
        Assert.Contains("37 points below the target", page.QuerySelector(".cards.rates li[data-wave='baseline']")?.TextContent, StringComparison.Ordinal);
    }
}
