using System.Net;
using System.Net.Http.Headers;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Api;

namespace RecoveryStudy.Tests.Hosting;

/// <summary>Answers carrying personal or study data are never kept by a browser or a proxy cache; the public css is.</summary>
public sealed class NoStoreTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task The_survey_link_the_survey_page_and_the_one_click_unsubscribe_are_not_stored()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        using var client = app.CreateClient(followRedirects: false);

        var link = await client.GetAsync(new Uri("/s/" + world.SurveyToken, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        AssertNoStore(link, "/s/{token}");
        var survey = await client.GetAsync(link.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, survey.StatusCode);
        AssertNoStore(survey, "/survey");

        using var oneClick = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var body = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        var unsubscribed = await oneClick.PostAsync(new Uri("/u/" + world.UnsubscribeToken, UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        AssertNoStore(unsubscribed, "POST /u/{token}");
    }

    [Fact]
    public async Task The_apis_responses_comparison_and_distribution_are_not_stored()
    {
        string study, token;
        await using (var db = database.CreateContext())
        {
            study = (await AnalystWorld.CreateAsync(db)).Study.Code;
            var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
            token = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, user, "test", CancellationToken.None);
        }
        using var client = app.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        foreach (var path in new[] { "responses", "compare?from=baseline&to=followup&item=wb1", "distribution?wave=baseline&format=csv" })
        {
            var response = await client.GetAsync(new Uri($"/api/studies/{study}/{path}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertNoStore(response, path);
        }
    }

    [Fact]
    public async Task The_css_may_be_cached_but_is_checked_with_the_server_before_use()
    {
        using var client = app.CreateClient();
        var css = await client.GetAsync(new Uri("/css/console.css", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.True(css.Headers.CacheControl?.NoCache, "css: Cache-Control no-cache");
        Assert.False(css.Headers.CacheControl?.NoStore, "css: not no-store");
    }

    private static void AssertNoStore(HttpResponseMessage response, string what) =>
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control was '{response.Headers.CacheControl}'");
}
