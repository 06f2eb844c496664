using System.Net;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Survey;

/// <summary>
/// Behind a configured reverse proxy the link throttle counts each participant's own address;
/// without that configuration a forged X-Forwarded-For changes nothing.
/// </summary>
public sealed class ReverseProxyThrottleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const int PerMinute = 3;

    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_allowance()
    {
        await using var app = await StartAsync(new() { ["ReverseProxy:KnownProxies"] = "127.0.0.1,::1" });
        using var http = app.CreateClient();

        await UseUpAllowanceAsync(http, "203.0.113.10");
        Assert.Equal(HttpStatusCode.TooManyRequests, await LookUpAsync(http, "203.0.113.10"));
        // Another participant behind the same proxy is not throttled by the first one's look-ups.
        Assert.Equal(HttpStatusCode.NotFound, await LookUpAsync(http, "203.0.113.20"));
    }

    [Fact]
    public async Task Without_a_configured_proxy_a_forged_forwarded_address_does_not_escape_the_throttle()
    {
        await using var app = await StartAsync([]);
        using var http = app.CreateClient();

        await UseUpAllowanceAsync(http, "203.0.113.10");
        Assert.Equal(HttpStatusCode.TooManyRequests, await LookUpAsync(http, "203.0.113.20"));
    }

    [Fact]
    public async Task A_proxy_setting_that_is_not_an_address_stops_the_start_with_its_name()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(new() { ["ReverseProxy:KnownNetworks"] = "10.0.0.0/40" }));
        Assert.Contains("ReverseProxy:KnownNetworks", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.0/40", error.Message, StringComparison.Ordinal);
    }

    private Task<TestApp> StartAsync(Dictionary<string, string?> settings)
    {
        settings["Participants:LinkRequestsPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TestApp.StartAsync(database.ConnectionString, settings);
    }

    private static async Task UseUpAllowanceAsync(HttpClient http, string client)
    {
        for (var i = 0; i < PerMinute; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, await LookUpAsync(http, client));
        }
    }

    private static async Task<HttpStatusCode> LookUpAsync(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/s/not-a-token");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
