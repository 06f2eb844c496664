using System.Net;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>Link look-ups are throttled per address with a friendly 429; tokens never reach the logs.</summary>
public sealed class LinkThrottleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_rate_limit_answers_429_with_a_friendly_page_once_exceeded_and_leaves_the_survey_pages_alone()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Participants:LinkRequestsPerMinute"] = "5" });
        using var client = new ParticipantClient(app);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync(new Uri("/s/" + world.SurveyToken, UriKind.Relative))).StatusCode);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync(new Uri("/s/" + i, UriKind.Relative))).StatusCode);
        }

        var refused = await client.Http.GetAsync(new Uri("/s/" + world.SurveyToken, UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Please wait a moment", body, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.Http.PostAsync(new Uri("/u/" + world.UnsubscribeToken, UriKind.Relative), null)).StatusCode);

        // Throttled, not locked out: the session already won keeps working.
        var survey = await client.Http.GetAsync(new Uri("/survey", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, survey.StatusCode);
    }

    [Fact]
    public async Task Tokens_stay_out_of_the_logs_even_with_aspnetcore_logging_turned_up()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        var logs = new CapturedLogs();
        var settings = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" };
        await using (var app = await TestApp.StartAsync(database.ConnectionString, settings, b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Information);
            b.Logging.AddProvider(logs);
        }))
        {
            using var client = new ParticipantClient(app);
            await client.GetAsync("/s/" + world.SurveyToken);
            await client.GetAsync("/u/" + world.UnsubscribeToken);
            using var oneClick = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
            await client.Http.PostAsync(new Uri("/u/" + world.UnsubscribeToken, UriKind.Relative), oneClick);
        }
        Assert.Contains(logs.Lines, l => l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(world.SurveyToken, StringComparison.Ordinal) || l.Contains(world.UnsubscribeToken, StringComparison.Ordinal));
    }
}
