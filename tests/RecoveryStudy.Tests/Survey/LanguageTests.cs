using Microsoft.Playwright;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>The participant's own language by default, switchable on the page with a plain link.</summary>
public sealed class LanguageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Pages_open_in_the_participants_language_and_switch_with_a_link_without_javascript()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db, "pl");
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, "/s/" + world.SurveyToken).ToString());
        Assert.Equal("pl", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Po kursie", await page.Locator("h1").TextContentAsync());
        Assert.Contains("Zajmie to około 10 min.", await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Dansk" }).ClickAsync();
        Assert.Equal("da", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Efter kurset", await page.Locator("h1").TextContentAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Start" }).ClickAsync();
        Assert.Equal("Om kurset", await page.Locator("h1").TextContentAsync());
        Assert.Equal("Ja", await page.Locator("label[for='q-recommend-1']").TextContentAsync());
        Assert.Equal("true", await page.GetByRole(AriaRole.Link, new() { Name = "Dansk" }).GetAttributeAsync("aria-current"));
    }
}
