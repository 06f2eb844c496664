using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>The console in Chromium: what each role reaches, accessibility, and a screenshot of the dashboard.</summary>
public sealed class ConsoleBrowserTests(DatabaseFixture database, ITestOutputHelper output) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData(StaffRole.Admin)]
    [InlineData(StaffRole.Researcher)]
    [InlineData(StaffRole.Analyst)]
    public async Task Each_role_reaches_its_pages_and_is_refused_the_others(string role)
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var user = await StaffSession.CreateUserAsync(db, role);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, app, user.Email);

        var participant = world.Participants["P-0003"].Id;
        var pages = new (string Path, string[] Roles)[]
        {
            ($"/studies/{world.Study.Id}", StaffRole.All),
            ($"/studies/{world.Study.Id}/participants", StaffRole.All),
            ($"/participants/{participant}", StaffRole.All),
            ($"/studies/{world.Study.Id}/protocol", StaffRole.All),
            ($"/participants/{participant}/contact", [StaffRole.Admin, StaffRole.Researcher]),
            ($"/participants/{participant}/withdraw", [StaffRole.Admin, StaffRole.Researcher]),
            ($"/studies/{world.Study.Id}/sending", [StaffRole.Admin, StaffRole.Researcher]),
            ($"/studies/{world.Study.Id}/outbox", [StaffRole.Admin, StaffRole.Researcher]),
            ("/admin/accounts", [StaffRole.Admin]),
            ("/admin/audit", [StaffRole.Admin]),
            ("/hangfire", [StaffRole.Admin]),
        };
        foreach (var (path, roles) in pages)
        {
            var response = await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
            var allowed = roles.Contains(role);
            Assert.True((allowed ? 200 : 403) == response?.Status, $"{role} on {path}: {response?.Status}");
            if (!allowed)
            {
                Assert.Equal("Not allowed", await page.Locator("h1").InnerTextAsync());
            }
        }

        // The navigation offers only what the role may use.
        await page.GotoAsync(new Uri(app.BaseAddress, $"/studies/{world.Study.Id}").ToString());
        Assert.Equal(role == StaffRole.Admin ? 1 : 0, await page.Locator("nav a[href='/admin/accounts']").CountAsync());
        Assert.Equal(role == StaffRole.Analyst ? 0 : 1, await page.Locator("nav a[href$='/sending']").CountAsync());
    }

    [Fact]
    public async Task A_visitor_without_sign_in_is_sent_to_the_sign_in_page_and_comes_back_after_it()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, $"/studies/{world.Study.Id}/participants").ToString());
        Assert.Equal("Sign in", await page.Locator("h1").InnerTextAsync());
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(StaffSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        Assert.EndsWith($"/studies/{world.Study.Id}/participants", page.Url, StringComparison.Ordinal);
        Assert.Equal("Participants", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task Dashboard_and_participant_pages_have_no_WCAG_A_or_AA_violations_and_the_dashboard_is_photographed()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, app, user.Email);

        var paths = new Dictionary<string, string>
        {
            ["dashboard"] = $"/studies/{world.Study.Id}",
            ["participants"] = $"/studies/{world.Study.Id}/participants",
            ["participant"] = $"/participants/{world.Participants["P-0003"].Id}",
            ["outbox"] = $"/studies/{world.Study.Id}/outbox",
        };
        foreach (var (name, path) in paths)
        {
            await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
            await ConsoleBrowser.AssertAccessibleAsync(page, name);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("console-" + name), FullPage = true });
        }

        await page.GotoAsync(new Uri(app.BaseAddress, paths["dashboard"]).ToString());
        var file = Browser.ScreenshotPath("console-dashboard");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 10_000);
        output.WriteLine($"Dashboard screenshot: {file}");
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("console-dashboard-narrow"), FullPage = true });
    }
}
