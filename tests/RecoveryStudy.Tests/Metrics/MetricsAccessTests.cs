using System.Net;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Metrics;

/// <summary>
/// /metrics is for this machine, the configured scrape networks and admins: a public client,
/// also one a trusted proxy forwards, gets a 404.
/// </summary>
public sealed class MetricsAccessTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Proxy = "127.0.0.1,::1";

    [Fact]
    public async Task Metrics_are_served_to_a_caller_on_this_machine_with_request_durations()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var http = app.CreateClient();
        await http.GetAsync(new Uri("/health/live", UriKind.Relative));

        var text = await PollMetricsAsync(http, t => t.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal));

        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_refused_to_a_public_client_forwarded_by_a_trusted_proxy()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["ReverseProxy:KnownProxies"] = Proxy });
        using var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, "203.0.113.10"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, forwardedFor: null));
    }

    [Fact]
    public async Task Metrics_are_refused_to_a_request_relayed_by_a_proxy_the_host_was_not_told_about()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var http = app.CreateClient();

        // nginx on the same machine, not named in ReverseProxy:KnownProxies: the request arrives from loopback.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, "203.0.113.10"));
    }

    [Fact]
    public async Task Metrics_are_served_to_a_scraper_in_a_configured_network_only()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["ReverseProxy:KnownProxies"] = Proxy,
            ["Metrics:ScrapeNetworks"] = "10.20.0.0/16, 192.0.2.7/32",
        });
        using var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "10.20.3.4"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "192.0.2.7"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, "10.21.3.4"));
    }

    [Fact]
    public async Task Metrics_are_served_to_a_signed_in_admin_from_anywhere_and_not_to_other_staff()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["ReverseProxy:KnownProxies"] = Proxy });
        string admin, analyst;
        await using (var db = database.CreateContext())
        {
            admin = (await StaffSession.CreateUserAsync(db, StaffRole.Admin)).Email;
            analyst = (await StaffSession.CreateUserAsync(db, StaffRole.Analyst)).Email;
        }
        using var asAdmin = await SignInFromAsync(app, admin, "203.0.113.10");
        using var asAnalyst = await SignInFromAsync(app, analyst, "203.0.113.11");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(asAdmin, "203.0.113.10"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(asAnalyst, "203.0.113.11"));
    }

    [Fact]
    public async Task Refused_sign_ins_are_counted_by_reason()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var http = app.CreateClient(followRedirects: false);
        var before = await ScrapeAsync(http);
        var unknownBefore = PrometheusText.Value(before, "recoverystudy_staff_signin_failures_total", ("reason", "unknown_account")) ?? 0;

        await StaffSession.PostFormAsync(http, "/signin", new() { ["Email"] = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.org", ["Password"] = "wrong password 1" });
        await StaffSession.PostFormAsync(http, "/signin", new() { ["Email"] = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.org", ["Password"] = "wrong password 2" });

        var after = await PollMetricsAsync(http, t =>
            PrometheusText.Value(t, "recoverystudy_staff_signin_failures_total", ("reason", "unknown_account")) >= unknownBefore + 2);
        Assert.True(PrometheusText.Value(after, "recoverystudy_staff_signin_failures_total", ("reason", "unknown_account")) >= unknownBefore + 2, after);
        Assert.DoesNotContain("@example.org", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scrape_network_that_is_not_CIDR_stops_the_start_with_its_name()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Metrics:ScrapeNetworks"] = "10.0.0.0/99" }));

        Assert.Contains("Metrics:ScrapeNetworks", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.0/99", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpClient> SignInFromAsync(TestApp app, string email, string forwardedFor)
    {
        var client = app.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        var response = await StaffSession.PostFormAsync(client, "/signin", new() { ["Email"] = email, ["Password"] = StaffSession.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        client.DefaultRequestHeaders.Remove("X-Forwarded-For");
        return client;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The exporter keeps an answer for a moment; asks again until the figures have caught up.</summary>
    private static async Task<string> PollMetricsAsync(HttpClient http, Func<string, bool> done)
    {
        var text = "";
        await Poll.UntilAsync(async () => done(text = await ScrapeAsync(http)), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        return text;
    }
}
