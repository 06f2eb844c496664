using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.StaffConsole.Studies;

/// <summary>
/// The dashboard and the status grid in Chromium at a laptop's 1280 px and a phone's 360 px: no
/// sideways scroll of the page (wide tables scroll inside their own box), the headline in view, cohort
/// names on one line, no WCAG 2.1 A/AA violation (axe-core), and a screenshot of each under TestResults.
/// </summary>
public sealed class DashboardLayoutTests(DatabaseFixture database, ITestOutputHelper output) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(360, 740)]
    public async Task Dashboard_and_grid_fit_the_width_and_have_no_WCAG_A_or_AA_violations(int width, int height)
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var researcher = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync(width, height);
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, app, researcher.Email);

        foreach (var (name, path) in new[] { ("dashboard", $"/studies/{world.Study.Id}"), ("grid", $"/studies/{world.Study.Id}/grid") })
        {
            await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
            var file = ScreenshotPath($"{name}-{width}");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            output.WriteLine($"{name} at {width} px: {file}");

            var (scroll, client) = await PageWidthAsync(page);
            output.WriteLine($"[layout] {name} at {width} px: page content {scroll} px wide in a {client} px window");
            Assert.True(scroll <= client, $"{name} at {width} px scrolls sideways: content {scroll} px in a {client} px window");
            await ConsoleBrowser.AssertAccessibleAsync(page, $"{name} at {width} px");
        }

        await page.GotoAsync(new Uri(app.BaseAddress, $"/studies/{world.Study.Id}").ToString());
        // The headline response rate lies inside the window, and no cohort name breaks over lines.
        var figure = await page.Locator(".cards.rates li[data-wave='baseline'] [data-figure='rate']").BoundingBoxAsync();
        Assert.NotNull(figure);
        Assert.True(figure.X >= 0 && figure.X + figure.Width <= width, $"headline at x {figure.X}..{figure.X + figure.Width} in {width} px");
        foreach (var cohort in await page.Locator("#rate-table tbody td.nowrap:first-of-type").AllAsync())
        {
            // One client rectangle per line box the text occupies.
            var lines = await cohort.EvaluateAsync<int>("e => { const r = document.createRange(); r.selectNodeContents(e); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }");
            Assert.True(lines == 1, $"cohort name \"{await cohort.InnerTextAsync()}\" takes {lines} lines at {width} px");
        }
    }

    private static async Task<(int Scroll, int Client)> PageWidthAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        return (widths[0], widths[1]);
    }

    /// <summary>TestResults/screenshots beside the test project (ignored by git), so a person can look at them.</summary>
    private static string ScreenshotPath(string name)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RecoveryStudy.Tests.csproj")))
        {
            folder = folder.Parent;
        }
        var target = Path.Combine(folder?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(target);
        return Path.Combine(target, name + ".png");
    }
}
