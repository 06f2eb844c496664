using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Studies;

/// <summary>The participant x wave status grid on a study with every status in it.</summary>
public sealed class GridTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Grid_shows_each_participants_status_in_each_wave_and_its_filters_narrow_the_rows()
    {
        await using var db = database.CreateContext();
        var world = await MixedWorldAsync(db);
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, analyst.Email);

        var page = await GridAsync(client, world.Study.Id, "");
        var expected = new Dictionary<string, (string Baseline, string Post)>
        {
            ["P-0001"] = ("complete", "not yet due"),
            ["P-0002"] = ("complete", "not yet due"),
            ["P-0003"] = ("partial", "not yet due"),
            ["P-0004"] = ("missed", "not yet due"),
            ["P-0005"] = ("undeliverable", "not yet due"),
            ["P-0006"] = ("withdrawn", "withdrawn"),
            ["P-0007"] = ("complete", "not yet due"),
            ["P-0008"] = ("reminded 1×", "not yet due"),
            ["P-0009"] = ("missed", "not yet due"),
            ["P-0010"] = ("opted out", "opted out"),
        };
        foreach (var (code, (baseline, post)) in expected)
        {
            Assert.Equal((code, baseline), (code, Cell(page, code, "baseline")));
            Assert.Equal((code, post), (code, Cell(page, code, "post")));
        }
        // Every status has its own colour class, and the page carries codes only.
        Assert.Equal("cell cell-reminded", page.QuerySelector("tr[data-code='P-0008'] td[data-wave='baseline'] span")?.ClassName);
        Assert.Equal("cell cell-opted-out", page.QuerySelector("tr[data-code='P-0010'] td[data-wave='baseline'] span")?.ClassName);
        Assert.DoesNotContain("@example.org", page.Body!.TextContent.Replace(analyst.Email, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Person 1", page.Body!.TextContent, StringComparison.Ordinal);

        Assert.Equal(["P-0007", "P-0008", "P-0009", "P-0010"], Codes(await GridAsync(client, world.Study.Id, "?cohort=fact1")));
        Assert.Equal(["P-0001", "P-0002", "P-0007"], Codes(await GridAsync(client, world.Study.Id, "?status=complete")));
        Assert.Equal(["P-0007"], Codes(await GridAsync(client, world.Study.Id, "?status=complete&cohort=fact1")));
        Assert.Equal(["P-0004", "P-0009"], Codes(await GridAsync(client, world.Study.Id, "?status=missed&wave=baseline")));
        Assert.Equal(["P-0006"], Codes(await GridAsync(client, world.Study.Id, "?status=withdrawn&wave=post")));
        Assert.Equal(["P-0003"], Codes(await GridAsync(client, world.Study.Id, "?q=0003")));
        Assert.Equal(["P-0008"], Codes(await GridAsync(client, world.Study.Id, "?status=reminded")));

        // A filter value the page does not offer is named in a message, and no rows are shown.
        var bad = await GridAsync(client, world.Study.Id, "?status=lost");
        Assert.Contains("Status \"lost\" is not one of", bad.QuerySelector("p.error")?.TextContent, StringComparison.Ordinal);
        Assert.Null(bad.QuerySelector("#grid"));

        // The dashboard links to it.
        var dashboard = new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}", UriKind.Relative)));
        Assert.NotNull(dashboard.QuerySelector($"main a[href='/studies/{world.Study.Id}/grid']"));
    }

    [Fact]
    public async Task Grid_pages_fifty_participants_at_a_time()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var now = DateTime.UtcNow;
        for (var n = 11; n <= 60; n++)
        {
            db.Participants.Add(new RecoveryStudy.Participants.Participant
            {
                StudyId = world.Study.Id, CohortId = world.CohortB.Id, Code = $"P-{n:0000}", Role = "trainee", Language = "en",
                TimeZone = "Europe/Warsaw", EnrolledOn = DateOnly.FromDateTime(now), CreatedAt = now, UpdatedAt = now,
            });
        }
        await db.SaveChangesAsync();
        var researcher = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);

        var first = await GridAsync(client, world.Study.Id, "");
        Assert.Equal(50, Codes(first).Count);
        Assert.Equal("60 participants found.", first.QuerySelector("#result-count")?.TextContent);
        var second = await GridAsync(client, world.Study.Id, "?p=2");
        Assert.Equal([.. Enumerable.Range(51, 10).Select(n => $"P-{n:0000}")], Codes(second));
        Assert.NotNull(first.QuerySelector("a[href*='p=2']"));
    }

    [Fact]
    public async Task Grid_refuses_a_visitor_without_a_staff_role_and_a_disabled_account()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var path = new Uri($"/studies/{world.Study.Id}/grid", UriKind.Relative);

        using var anonymous = app.CreateClient(followRedirects: false);
        var refused = await anonymous.GetAsync(path);
        Assert.True(StaffSession.IsSignInRedirect(refused), $"anonymous: {(int)refused.StatusCode}");

        using var client = await StaffSession.SignInAsync(app, analyst.Email);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
        await db.StaffUsers.Where(u => u.Id == analyst.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Disabled, true));
        var afterDisable = await client.GetAsync(path);
        Assert.True(StaffSession.IsSignInRedirect(afterDisable), $"disabled: {(int)afterDisable.StatusCode}");
    }

    /// <summary>The console world with P-0008's failed reminder sent after all (still open), and P-0010 opted out.</summary>
    private static async Task<ConsoleWorld> MixedWorldAsync(StudyDbContext db)
    {
        var world = await ConsoleWorld.CreateAsync(db);
        var reminder = world.FailedMessages["P-0008"];
        await db.Messages.Where(m => m.Id == reminder.Id).ExecuteUpdateAsync(m => m
            .SetProperty(x => x.Status, MessageStatus.Sent).SetProperty(x => x.SentAt, reminder.DueAt).SetProperty(x => x.LastError, (string?)null));
        await db.Participants.Where(p => p.Id == world.Participants["P-0010"].Id).ExecuteUpdateAsync(p => p.SetProperty(x => x.OptedOutAt, DateTime.UtcNow));
        return world;
    }

    private static async Task<IHtmlDocument> GridAsync(HttpClient client, int studyId, string query) =>
        new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri($"/studies/{studyId}/grid{query}", UriKind.Relative)));

    private static string Cell(IHtmlDocument page, string code, string wave) =>
        page.QuerySelector($"#grid tr[data-code='{code}'] td[data-wave='{wave}']")?.TextContent.Trim() ?? "(missing)";

    private static List<string> Codes(IHtmlDocument page) =>
        page.QuerySelectorAll("#grid tbody tr").Select(r => r.GetAttribute("data-code")!).ToList();
}
