using System.Data.Common;
using Npgsql;

namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// The PostgreSQL connections all nodes together may open (docs/operations.md, "Several nodes and
/// the connection budget"): per node the application's two pools (each up to Maximum Pool Size of
/// the connection string: the EF Core contexts' and the one of the jobs and the dispatcher) and
/// Hangfire's workers plus its own background connections, times Database:ExpectedNodes, plus
/// Database:AnalystConnections kept free for analysts' tools. Warned about at start when it
/// could exceed the server's max_connections less its superuser reserve: the pools would then fail
/// with "too many clients" under load instead of waiting for a free connection.
/// </summary>
public sealed record ConnectionBudget(int PoolSize, int ExpectedNodes, int HangfireWorkers, int AnalystConnections)
{
    /// <summary>Hangfire's connections besides its workers (heartbeat, schedulers, recurring jobs, expiration).</summary>
    public const int HangfireBackgroundConnections = 5;

    /// <summary>The EF Core contexts' pool and the jobs' pool (DatabaseSetup), each up to Maximum Pool Size.</summary>
    public const int ApplicationPools = 2;

    public int PerNode => ApplicationPools * PoolSize + (HangfireWorkers > 0 ? HangfireWorkers + HangfireBackgroundConnections : 0);

    public int Total => PerNode * ExpectedNodes + AnalystConnections;

    public static ConnectionBudget From(IConfiguration configuration, string connectionString) => new(
        new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize,
        configuration.GetValue("Database:ExpectedNodes", 1),
        configuration.GetValue("Jobs:Enabled", true) ? configuration.GetValue("Jobs:Workers", 4) : 0,
        configuration.GetValue("Database:AnalystConnections", 10));

    /// <summary>Compares the budget with the server's limit and logs a warning when it could be exceeded; true when it fits.</summary>
    public async Task<bool> CheckAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (max, reserved) = (reader.GetInt32(0), reader.GetInt32(1));
        if (Total <= max - reserved)
        {
            logger.LogInformation("Connection budget {Total} of {Available} (max_connections {Max} less {Reserved} reserved)", Total, max - reserved, max, reserved);
            return true;
        }
        logger.LogWarning(
            "Connection budget exceeds the server: {Nodes} node(s) x ({Pools} x {Pool} pool + {Workers} Hangfire workers + {Background} Hangfire background) + {Analysts} for analysts = {Total} connections, but max_connections is {Max} ({Reserved} reserved for superusers). Lower Maximum Pool Size in ConnectionStrings:Main or Jobs:Workers, or raise max_connections.",
            ExpectedNodes, ApplicationPools, PoolSize, HangfireWorkers, HangfireWorkers > 0 ? HangfireBackgroundConnections : 0, AnalystConnections, Total, max, reserved);
        return false;
    }
}

/// <summary>Runs the connection budget check once at start; a database that does not answer yet is /health's business, not this check's.</summary>
internal sealed class ConnectionBudgetCheck(NpgsqlDataSource dataSource, IConfiguration configuration, ILogger<ConnectionBudgetCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ConnectionBudget.From(configuration, configuration[DatabaseHosting.ConnectionStringKey]!).CheckAsync(dataSource, logger, cancellationToken);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            logger.LogWarning("Connection budget not checked, the database did not answer: {Error}", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
