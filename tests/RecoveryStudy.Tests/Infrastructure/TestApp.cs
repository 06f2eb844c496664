using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// The real web host on a free loopback port, against a test database: what a browser test or
/// an HTTP test talks to. Jobs are off unless a test turns them on.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => App.Services;

    public static async Task<TestApp> StartAsync(string connectionString, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Main"] = connectionString,
            ["Jobs:Enabled"] = "false",
            ["Database:MigrateOnStart"] = "false",
            ["urls"] = "http://127.0.0.1:0",
            // Not Production: a Production host refuses plain-HTTP links and the other unsafe settings tests use.
            ["environment"] = "Testing",
            // Admins sign in with the password alone unless a test asks for the rule: most tests sign
            // one admin in many times within a 30-second step, which the one-use TOTP rule forbids.
            // SecondFactorTests turn it on.
            ["StaffAuth:RequireAdminSecondFactor"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var args = values.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = AppHost.Build(args, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address));
    }

    public HttpClient CreateClient(bool followRedirects = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
