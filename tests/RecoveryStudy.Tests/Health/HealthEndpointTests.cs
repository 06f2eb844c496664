using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Database;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_turns_503_when_the_database_stops_and_200_when_it_is_back()
    {
        // This test stops its server, so it runs its own cluster rather than the shared one.
        var folder = Path.Combine(Path.GetTempPath(), "rs-health-" + Guid.NewGuid().ToString("N")[..8]);
        await using var cluster = await PostgresCluster.StartAsync(folder, forTests: true);
        try
        {
            await using (var db = DatabaseSetup.CreateContext(cluster.ConnectionString()))
            {
                await db.Database.MigrateAsync();
            }
            await using var app = await TestApp.StartAsync(cluster.ConnectionString(), new Dictionary<string, string?> { ["Jobs:Enabled"] = "true" });
            using var client = app.CreateClient();

            var healthy = await WaitForStatusAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(90));
            Assert.Equal(HttpStatusCode.OK, healthy.Status);
            Assert.Contains("\"jobs\"", healthy.Body, StringComparison.Ordinal);

            await cluster.KillAsync();
            NpgsqlConnection.ClearAllPools();
            var down = await WaitForStatusAsync(client, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(90));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
            Assert.Contains("database unreachable", down.Body, StringComparison.Ordinal);

            await cluster.RestartAsync();
            var back = await WaitForStatusAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(120));
            Assert.Equal(HttpStatusCode.OK, back.Status);
        }
        finally
        {
            await cluster.StopAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Health_names_unapplied_migrations()
    {
        var connectionString = await EmptyDatabaseAsync();
        await using var app = await TestApp.StartAsync(connectionString);
        using var client = app.CreateClient();
        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("migration(s) not applied", body, StringComparison.Ordinal);
    }

    private static async Task<string> EmptyDatabaseAsync()
    {
        var cluster = await SharedPostgres.GetClusterAsync();
        var name = "empty_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new NpgsqlConnection(cluster.ConnectionString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return cluster.ConnectionString(name);
    }

    private static async Task<(HttpStatusCode Status, string Body)> WaitForStatusAsync(HttpClient client, HttpStatusCode wanted, TimeSpan? timeout = null)
    {
        (HttpStatusCode Status, string Body) last = default;
        await Poll.UntilAsync(async () =>
        {
            var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
            last = (response.StatusCode, await response.Content.ReadAsStringAsync());
            return last.Status == wanted;
        }, timeout ?? TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        return last;
    }
}
