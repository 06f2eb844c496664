using System.Diagnostics;
using System.Net;
using RecoveryStudy.Database;
using RecoveryStudy.Tests.Infrastructure.Builders;
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
                ["--ConnectionStrings:Main=", $"--Database:DataDirectory={folder}", "--Database:AllowEmbedded=true", "--Jobs:Enabled=false", "--urls=http://127.0.0.1:0"],
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

    [Fact]
    public async Task Outside_development_the_host_refuses_the_private_cluster_unless_allowed_and_names_the_connection_string()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rs-refused-" + Guid.NewGuid().ToString("N")[..8]);
        var refused = Assert.Throws<EmbeddedClusterException>(() => RecoveryStudy.Web.AppHost.Build(
            ["--environment=Production", "--ConnectionStrings:Main=", $"--Database:DataDirectory={folder}", "--urls=http://127.0.0.1:0"]));
        Assert.Contains("ConnectionStrings:Main", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Database:AllowEmbedded=true", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder), "no cluster was made");

        // The command line says it in one line on stderr and exits, for serve and for every other verb.
        foreach (var verb in new[] { "serve", "migrate" })
        {
            var (code, output, error) = await RunHostAsync(verb, folder);
            Assert.Equal(3, code);
            Assert.Equal("", output);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("ConnectionStrings:Main", line, StringComparison.Ordinal);
            Assert.False(Directory.Exists(folder), "no cluster was made");
        }
    }

    /// <summary>The built host (copied next to this test assembly) in the Production environment, without a connection string.</summary>
    private static async Task<(int Code, string Output, string Error)> RunHostAsync(string verb, string folder)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "RecoveryStudy.Web.dll"), verb, })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Main"] = "";
        start.Environment["Database__DataDirectory"] = folder;
        start.Environment["urls"] = "http://127.0.0.1:0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static IEnumerable<string> RunningServers()
    {
        var start = new ProcessStartInfo("ps", "-eo args") { RedirectStandardOutput = true };
        using var ps = Process.Start(start)!;
        return ps.StandardOutput.ReadToEnd().Split('\n');
    }
}
