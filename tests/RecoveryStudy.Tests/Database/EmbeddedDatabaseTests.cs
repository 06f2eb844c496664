using System.Diagnostics;
using System.Net;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Tests.Database;

public sealed class EmbeddedDatabaseTests
{
    [Fact]
    public async Task Host_without_a_connection_string_runs_its_own_cluster_and_stops_it()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rs-embedded-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var app = RecoveryStudy.Web.AppHost.Build(
                ["--ConnectionStrings:Main=", $"--Database:DataDirectory={folder}", "--Jobs:Enabled=false", "--urls=http://127.0.0.1:0"],
                builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
            await app.MigrateIfConfiguredAsync();
            await app.StartAsync();
            var address = app.Urls.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.True(File.Exists(Path.Combine(folder, "data", "postmaster.pid")), "the cluster runs from the configured folder");

            await app.StopAsync();
            await app.DisposeAsync();

            Assert.False(File.Exists(Path.Combine(folder, "data", "postmaster.pid")), "the cluster was stopped with the host");
            Assert.DoesNotContain(RunningServers(), line => line.Contains(folder, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<string> RunningServers()
    {
        var start = new ProcessStartInfo("ps", "-eo args") { RedirectStandardOutput = true };
        using var ps = Process.Start(start)!;
        return ps.StandardOutput.ReadToEnd().Split('\n');
    }
}
