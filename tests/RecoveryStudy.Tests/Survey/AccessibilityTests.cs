using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>Every kind of participant page, in English, Polish and Danish, passes axe-core's WCAG 2.1 A/AA rules.</summary>
public sealed class AccessibilityTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData("en", "Save and continue", "Submit answers")]
    [InlineData("pl", "Zapisz i przejdź dalej", "Wyślij odpowiedzi")]
    [InlineData("da", "Gem og fortsæt", "Indsend svar")]
    public async Task Every_participant_page_type_passes_axe_in_each_language(string language, string next, string submit)
    {
        SurveyWorld world, closed;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db, language);
            closed = await SurveyWorld.CreateAsync(db, language);
            await db.Invitations.Where(i => i.Id == closed.Invitation.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvitationStatus.Expired));
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Participants:LinkRequestsPerMinute"] = "40" });
        await using var context = await Browser.NewContextAsync(360, 740);
        await context.SetExtraHTTPHeadersAsync([new("Accept-Language", language)]);
        var page = await context.NewPageAsync();
        string Url(string path) => new Uri(app.BaseAddress, path).ToString();

        async Task CheckAsync(string name)
        {
            Assert.Equal(language, await page.Locator("html").GetAttributeAsync("lang"));
            await ParticipantBrowser.AssertAccessibleAsync(page, $"{name} ({language})");
        }

        await page.GotoAsync(Url("/s/not-a-link"));
        await CheckAsync("invalid link");
        await page.GotoAsync(Url("/survey"));
        await CheckAsync("no session");

        await page.GotoAsync(Url("/s/" + world.SurveyToken));
        await CheckAsync("introduction");
        await page.GotoAsync(Url("/survey/page/1"));
        await CheckAsync("rating, yes/no and choice page");
        await page.GetByRole(AriaRole.Button, new() { Name = next }).ClickAsync();
        Assert.Equal(3, await page.Locator(".field-error").CountAsync());
        await CheckAsync("page with validation errors");

        await page.CheckAsync("#q-mod_useful-4");
        await page.CheckAsync("#q-recommend-0");
        await page.CheckAsync("#q-attended-1");
        await page.GetByRole(AriaRole.Button, new() { Name = next }).ClickAsync();
        await CheckAsync("text, number, date and multiple choice page");
        await page.FillAsync("#q-hours", "many");
        // The browser keeps to maxlength; the server's own check is what this page shows.
        await page.EvaluateAsync("() => document.querySelector('#q-not_recommend_why').removeAttribute('maxlength')");
        await page.FillAsync("#q-not_recommend_why", new string('x', 300));
        await page.GetByRole(AriaRole.Button, new() { Name = next }).ClickAsync();
        Assert.Equal(2, await page.Locator(".field-error").CountAsync());
        await CheckAsync("text page with validation errors");
        await page.FillAsync("#q-hours", "3");
        await page.FillAsync("#q-not_recommend_why", "Too long");
        await page.GetByRole(AriaRole.Button, new() { Name = next }).ClickAsync();
        await CheckAsync("labelled rating page");
        await page.CheckAsync("#q-who_1-2");
        await page.CheckAsync("#q-who_2-3");

        // A form that lost its anti-forgery token on the way.
        await page.RouteAsync("**/survey/page/*", async route =>
        {
            if (route.Request.Method == "POST")
            {
                var body = string.Join('&', (route.Request.PostData ?? "").Split('&').Where(f => !f.StartsWith("__rs_af=", StringComparison.Ordinal)));
                await route.ContinueAsync(new RouteContinueOptions { PostData = System.Text.Encoding.UTF8.GetBytes(body) });
                return;
            }
            await route.ContinueAsync();
        });
        await page.GetByRole(AriaRole.Button, new() { Name = submit }).ClickAsync();
        await CheckAsync("form refused");
        await page.UnrouteAllAsync();

        await page.GoBackAsync();
        await page.GotoAsync(Url("/survey/page/4"));
        await page.CheckAsync("#q-who_1-2");
        await page.CheckAsync("#q-who_2-3");
        await page.GetByRole(AriaRole.Button, new() { Name = submit }).ClickAsync();
        Assert.EndsWith("/survey/thanks", page.Url, StringComparison.Ordinal);
        await CheckAsync("thank-you");
        await page.GotoAsync(Url("/survey"));
        await CheckAsync("already completed");

        await page.GotoAsync(Url("/s/" + closed.SurveyToken));
        await CheckAsync("closed");

        await page.GotoAsync(Url("/u/" + world.UnsubscribeToken));
        await CheckAsync("unsubscribe choices");
        // The choices form's button (the page also has the data-copy request's form).
        var choose = page.Locator("form:has(#choice-withdraw) button[type=submit]");
        await choose.ClickAsync();
        await CheckAsync("unsubscribe choices with an error");
        await page.CheckAsync("#choice-withdraw");
        await choose.ClickAsync();
        await CheckAsync("withdrawal confirmation");
        await page.EvaluateAsync("() => document.querySelector('#reason').removeAttribute('maxlength')");
        await page.FillAsync("#reason", new string('x', 2001));
        var confirm = page.Locator("form:has(#reason) button[type=submit]");
        await confirm.ClickAsync();
        await CheckAsync("withdrawal confirmation with an error");
        await page.FillAsync("#reason", "");
        await confirm.ClickAsync();
        await CheckAsync("withdrawn");
        await page.GotoAsync(Url("/s/" + world.SurveyToken));
        await CheckAsync("withdrawn notice on the survey link");

        for (var i = 0; i < 40; i++)
        {
            await page.APIRequest.GetAsync(Url("/s/x"));
        }
        await page.GotoAsync(Url("/s/" + world.SurveyToken));
        await CheckAsync("too many requests");
    }
}
