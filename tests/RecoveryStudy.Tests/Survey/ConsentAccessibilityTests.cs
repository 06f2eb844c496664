using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>
/// The participant consent page passes axe-core's WCAG 2.1 A/AA rules in each language, on a
/// phone (360 px) and a desktop width: as first shown, with its error summary, and the page
/// a participant who declined sees.
/// </summary>
public sealed class ConsentAccessibilityTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData("en", 360)]
    [InlineData("pl", 360)]
    [InlineData("da", 360)]
    [InlineData("en", 1280)]
    public async Task Consent_page_passes_axe_as_shown_with_errors_and_after_declining(string language, int width)
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db, language);
            await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent());
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync(width, 740);
        await context.SetExtraHTTPHeadersAsync([new("Accept-Language", language)]);
        var page = await context.NewPageAsync();

        async Task CheckAsync(string name)
        {
            Assert.Equal(language, await page.Locator("html").GetAttributeAsync("lang"));
            await ParticipantBrowser.AssertAccessibleAsync(page, $"{name} ({language}, {width} px)");
        }

        await page.GotoAsync(new Uri(app.BaseAddress, "s/" + world.SurveyToken).ToString());
        Assert.EndsWith("/survey/consent", page.Url, StringComparison.Ordinal);
        await CheckAsync("consent page");

        // Agreeing with no clause ticked: the error summary and a message at each required clause.
        await page.Locator("button[name=decision][value=agree]").ClickAsync();
        Assert.Equal(2, await page.Locator(".field-error").CountAsync());
        await CheckAsync("consent page with errors");

        await page.Locator("button[name=decision][value=decline]").ClickAsync();
        Assert.Equal(0, await page.Locator("input[name=clause]").CountAsync());
        await CheckAsync("declined");
    }
}
