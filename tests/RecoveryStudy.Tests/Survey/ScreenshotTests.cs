using Microsoft.Playwright;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>Pictures of the introduction, rating pages and thank-you at phone and desktop widths, for a person to look at.</summary>
public sealed class ScreenshotTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData(360, 740)]
    [InlineData(1280, 800)]
    public async Task Introduction_rating_pages_and_thank_you_are_saved_as_screenshots(int width, int height)
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync(width, height);
        var page = await context.NewPageAsync();
        var saved = new List<string>();

        async Task ShootAsync(string name)
        {
            var path = Browser.ScreenshotPath($"survey-{name}-{width}x{height}");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            saved.Add(path);
            // Nothing may stick out sideways: a 360-pixel phone must not need to scroll across.
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{name} is wider than {width} px");
        }

        await page.GotoAsync(new Uri(app.BaseAddress, "/s/" + world.SurveyToken).ToString());
        await ShootAsync("intro");
        await page.GetByRole(AriaRole.Link, new() { Name = "Start" }).ClickAsync();
        await page.CheckAsync("#q-mod_useful-5");
        await ShootAsync("rating");
        await page.CheckAsync("#q-recommend-1");
        await page.CheckAsync("#q-attended-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();
        await page.FillAsync("#q-hours", "4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();
        await page.CheckAsync("#q-who_1-3");
        await ShootAsync("labelled-rating");
        await page.CheckAsync("#q-who_2-4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit answers" }).ClickAsync();
        await ShootAsync("thanks");

        Assert.All(saved, path => Assert.True(new FileInfo(path).Length > 5000, path));
    }
}
