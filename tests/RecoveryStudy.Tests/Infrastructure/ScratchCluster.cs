using Npgsql;
using RecoveryStudy.Database;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// A second, new PostgreSQL cluster for one test (a restore target, a server that never saw the
/// data): started by the same launcher as the shared one, stopped and deleted on dispose.
/// </summary>
public sealed class ScratchCluster : IAsyncDisposable
{
    private readonly string folder;

    private ScratchCluster(string folder, PostgresCluster cluster)
    {
        this.folder = folder;
        Cluster = cluster;
    }

    public PostgresCluster Cluster { get; }

    public static async Task<ScratchCluster> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"recoverystudy-scratch-{Guid.NewGuid():N}");
        return new ScratchCluster(folder, await PostgresCluster.StartAsync(folder, forTests: true));
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return Cluster.ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Cluster.StopAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The folder is in the temp directory; a leftover file does no harm.
        }
    }
}
