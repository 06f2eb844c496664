using System.Net;
using System.Net.Sockets;
using Npgsql;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Health;

/// <summary>/health/live answers while the process runs; /health/ready only with the database up and fully migrated.</summary>
public sealed class HealthProbeTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Both_probes_are_green_on_a_migrated_database()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var http = app.CreateClient();

        var (live, _) = await GetAsync(http, "/health/live");
        var (ready, body) = await GetAsync(http, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Contains("\"migrations\"", body, StringComparison.Ordinal);
        Assert.Contains("\"database\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"mail\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_is_red_while_migrations_are_pending_and_live_stays_green()
    {
        var cluster = await SharedPostgres.GetClusterAsync();
        var name = "unmigrated_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        await using var app = await TestApp.StartAsync(cluster.ConnectionString(name));
        using var http = app.CreateClient();

        var (ready, body) = await GetAsync(http, "/health/ready");
        var (live, _) = await GetAsync(http, "/health/live");
        var (health, _) = await GetAsync(http, "/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Contains("migration(s) not applied", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health);
    }

    [Fact]
    public async Task Ready_is_red_when_the_database_cannot_be_reached_and_live_stays_green()
    {
        var nothingListens = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = FreePort(), Timeout = 2 }.ConnectionString;
        await using var app = await TestApp.StartAsync(nothingListens);
        using var http = app.CreateClient();

        var (ready, body) = await GetAsync(http, "/health/ready");
        var (live, _) = await GetAsync(http, "/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Contains("database unreachable", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
