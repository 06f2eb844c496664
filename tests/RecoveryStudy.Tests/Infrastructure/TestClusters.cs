using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Database;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// Starting a private PostgreSQL cluster for tests and migrating a database on it: the shared
/// server of a test run (<see cref="SharedPostgres"/>) and a cluster a fault test may restart
/// (<see cref="PrivatePostgres"/>) are started the same way.
/// </summary>
public static class TestClusters
{
    /// <summary>Starts a fresh cluster in <paramref name="folder"/>; it is killed and the folder removed when the test process exits.</summary>
    public static async Task<PostgresCluster> StartAsync(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        var cluster = await PostgresCluster.StartAsync(folder, forTests: true);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAsync(cluster, folder).GetAwaiter().GetResult();
        return cluster;
    }

    /// <summary>Stops the cluster at once and removes its folder (safe to call twice).</summary>
    public static async Task RemoveAsync(PostgresCluster cluster, string folder)
    {
        try
        {
            await cluster.KillAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Already stopped.
        }
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The server may still be releasing files; the folder is in the temp directory.
        }
    }

    /// <summary>Creates <paramref name="name"/> on the cluster and applies every migration.</summary>
    public static async Task CreateMigratedDatabaseAsync(PostgresCluster cluster, string name)
    {
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        await using (var db = DatabaseSetup.CreateContext(cluster.ConnectionString(name)))
        {
            await db.Database.MigrateAsync();
        }
        NpgsqlConnection.ClearAllPools();
    }
}
