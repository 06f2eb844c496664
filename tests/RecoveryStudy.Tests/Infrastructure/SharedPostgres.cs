using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Database;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// The one PostgreSQL server of a test run, started with the same launcher as the host's
/// embedded database. A template database is migrated once; every test class then gets its
/// own copy (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
/// </summary>
public static class SharedPostgres
{
    private const string TemplateName = "rs_template";
    private static readonly Lazy<Task<PostgresCluster>> Cluster = new(StartAsync);
    private static readonly SemaphoreSlim CreateLock = new(1, 1);

    public static Task<PostgresCluster> GetClusterAsync() => Cluster.Value;

    /// <summary>Creates a fresh, fully migrated database and returns its connection string.</summary>
    public static Task<string> CreateDatabaseAsync() => CreateFromTemplateAsync(TemplateName);

    /// <summary>Creates a database without any table (not even the migrations' history): what an install or a restore starts from.</summary>
    public static Task<string> CreateEmptyDatabaseAsync() => CreateFromTemplateAsync("template0");

    private static async Task<string> CreateFromTemplateAsync(string template)
    {
        var cluster = await Cluster.Value;
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        // PostgreSQL refuses concurrent copies of one template; take turns (each copy is fast).
        await CreateLock.WaitAsync();
        try
        {
            await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE {template}", connection);
            await create.ExecuteNonQueryAsync();
        }
        finally
        {
            CreateLock.Release();
        }
        return cluster.ConnectionString(name);
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var cluster = await Cluster.Value;
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresCluster> StartAsync()
    {
        var cluster = await TestClusters.StartAsync(Path.Combine(Path.GetTempPath(), $"recoverystudy-tests-{Environment.ProcessId}"));
        await TestClusters.CreateMigratedDatabaseAsync(cluster, TemplateName);
        return cluster;
    }
}

/// <summary>A fresh migrated database for one test class (use as IClassFixture).</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public StudyDbContext CreateContext() => DatabaseSetup.CreateContext(ConnectionString);

    public NpgsqlDataSource CreateDataSource() => DatabaseSetup.CreateDataSource(ConnectionString);

    public async Task InitializeAsync() => ConnectionString = await SharedPostgres.CreateDatabaseAsync();

    public Task DisposeAsync() => SharedPostgres.DropDatabaseAsync(ConnectionString);
}
