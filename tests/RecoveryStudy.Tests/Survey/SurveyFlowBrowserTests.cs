using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>A participant in a real Chromium: opens the link, answers part, leaves, comes back, finishes.</summary>
public sealed class SurveyFlowBrowserTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Participant_answers_leaves_comes_back_and_finishes(bool javaScript)
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var link = new Uri(app.BaseAddress, "s/" + world.SurveyToken).ToString();

        await using (var first = await Browser.NewContextAsync(javaScript: javaScript))
        {
            var page = await first.NewPageAsync();
            await page.GotoAsync(link);
            Assert.Equal(new Uri(app.BaseAddress, "survey").ToString(), page.Url);
            Assert.Equal("After the course", await page.Locator("h1").TextContentAsync());
            Assert.Contains("about 10 minutes", await page.ContentAsync(), StringComparison.Ordinal);
            await page.GetByRole(AriaRole.Link, new() { Name = "Start" }).ClickAsync();

            await page.GetByRole(AriaRole.Group, new() { Name = "Question mod useful" }).GetByLabel("5", new() { Exact = true }).CheckAsync();
            await page.GetByRole(AriaRole.Group, new() { Name = "Question recommend" }).GetByLabel("Yes").CheckAsync();
            await page.GetByLabel("Most sessions").CheckAsync();
            await NextAsync(page);
            await page.GetByLabel("Question attended why").FillAsync("Work shifts");
            await NextAsync(page);
            await page.GetByLabel("Hope").CheckAsync();
            await page.GetByLabel("Peer work").CheckAsync();
            await page.GetByLabel("Question hours").FillAsync("12,5");
            await page.GetByLabel("Question finished on").FillAsync("2026-11-01");
            await page.GetByLabel("Question comments").FillAsync("Helpful.\nThank you.");
            await NextAsync(page);
            Assert.Equal("Wellbeing", await page.Locator("h1").TextContentAsync());
        }

        await using (var db = database.CreateContext())
        {
            var invitation = await db.Invitations.SingleAsync(i => i.Id == world.Invitation.Id);
            Assert.Equal(InvitationStatus.InProgress, invitation.Status);
            Assert.NotNull(invitation.FirstOpenedAt);
            Assert.NotNull(invitation.LastSavedAt);
            Assert.Equal(8, await db.Answers.CountAsync(a => db.Responses.Any(r => r.Id == a.ResponseId && r.InvitationId == invitation.Id)));
        }

        await using (var second = await Browser.NewContextAsync(javaScript: javaScript))
        {
            var page = await second.NewPageAsync();
            await page.GotoAsync(link);
            Assert.Equal("Wellbeing", await page.Locator("h1").TextContentAsync());
            Assert.Contains("Welcome back", await page.ContentAsync(), StringComparison.Ordinal);
            await page.GetByRole(AriaRole.Group, new() { Name = "Question who 1" }).GetByLabel("More than half").CheckAsync();
            await page.GetByRole(AriaRole.Group, new() { Name = "Question who 2" }).GetByLabel("Most of the time").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Submit answers" }).ClickAsync();
            Assert.Equal(new Uri(app.BaseAddress, "survey/thanks").ToString(), page.Url);
            Assert.Equal("Thank you", await page.Locator("h1").TextContentAsync());

            await page.GotoAsync(link);
            Assert.Equal("You have already completed this survey", await page.Locator("h1").TextContentAsync());
        }

        await using (var db = database.CreateContext())
        {
            await SurveyAssertions.AllAnswersStoredAndRemindersCancelledAsync(db, world);
        }
    }

    private static async Task NextAsync(IPage page) =>
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();
}
