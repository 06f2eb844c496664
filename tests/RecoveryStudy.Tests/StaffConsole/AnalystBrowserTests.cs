using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>An analyst in Chromium on a phone-sized screen without JavaScript: the comparison form and a dataset download.</summary>
public sealed class AnalystBrowserTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task An_analyst_compares_two_waves_and_downloads_a_table_on_a_narrow_screen_without_JavaScript()
    {
        await using var db = database.CreateContext();
        var world = await AnalystWorld.CreateAsync(db);
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync(width: 375, height: 740, javaScript: false);
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, app, analyst.Email);

        await page.GotoAsync(new Uri(app.BaseAddress, $"/studies/{world.Study.Id}").ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare", Exact = true }).ClickAsync();
        await page.GetByLabel("First wave").SelectOptionAsync("baseline");
        await page.GetByLabel("Second wave").SelectOptionAsync("followup");
        await page.GetByLabel("Or an item (code)").FillAsync("wb1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        Assert.Equal("2", (await page.Locator("#compare-wb1 tr[data-stat='pairs'] td").InnerTextAsync()).Trim());

        await page.GetByRole(AriaRole.Link, new() { Name = "Data", Exact = true }).ClickAsync();
        await page.GetByLabel("Wide per wave", new() { Exact = false }).CheckAsync();
        await page.GetByLabel("Wave", new() { Exact = true }).SelectOptionAsync("baseline");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download the table" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(await download.PathAsync());
        var csv = Csv.Parse(text);
        Assert.Equal("68", csv.Value("P-0001", "who5_pct"));
        Assert.DoesNotContain("@", text, StringComparison.Ordinal);
    }
}
