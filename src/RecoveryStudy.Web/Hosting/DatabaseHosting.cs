using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Database;
using RecoveryStudy.Web.Auditing;

namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// Chooses the database: the configured server when ConnectionStrings:Main is set, otherwise a
/// private PostgreSQL cluster under Database:DataDirectory that lives as long as this process.
/// The private cluster is for a developer's machine and the demo: outside Development it runs
/// only when Database:AllowEmbedded says so, so that a production host whose connection string
/// went missing stops at once instead of quietly keeping health data in a folder of its own.
/// </summary>
public static class DatabaseHosting
{
    public const string ConnectionStringKey = "ConnectionStrings:Main";
    public const string AllowEmbeddedKey = "Database:AllowEmbedded";
    private const string EmbeddedDatabaseName = "recoverystudy";

    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (!builder.Environment.IsDevelopment() && !builder.Configuration.GetValue(AllowEmbeddedKey, false))
            {
                throw new EmbeddedClusterException(
                    $"{ConnectionStringKey} is not set: give it the PostgreSQL server's connection string (the private cluster under Database:DataDirectory starts only in the Development environment or with {AllowEmbeddedKey}=true).");
            }
            var folder = builder.Configuration["Database:DataDirectory"] ?? Path.Combine("var", "postgres");
            var cluster = PostgresCluster.StartAsync(folder).GetAwaiter().GetResult();
            EnsureDatabaseExists(cluster, EmbeddedDatabaseName);
            connectionString = cluster.ConnectionString(EmbeddedDatabaseName);
            builder.Configuration[ConnectionStringKey] = connectionString;
            builder.Configuration["Database:Embedded"] = "true";
            builder.Services.AddSingleton(cluster);
            builder.Services.AddHostedService<EmbeddedClusterLifetime>();
        }

        var dataSource = DatabaseSetup.CreateDataSource(connectionString);
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<AuditClientAddress>();
        // Contexts are pooled: setting one up per request cost about 0.2 ms of CPU per survey page view
        // (bench/README.md). A rented context is reset by EF Core and, for the participant limit, here.
        // Their connections come from a pool of their own that skips Npgsql's reset (DatabaseSetup).
        var contextDataSource = DatabaseSetup.CreateContextDataSource(connectionString);
        builder.Services.AddPooledDbContextFactory<StudyDbContext>((services, options) =>
        {
            DatabaseSetup.Configure(options, contextDataSource);
            if (!builder.Environment.IsProduction())
            {
                options.ThrowOnQueryWarnings();
            }
            options.AddInterceptors(services.GetRequiredService<AuditClientAddress>());
        });
        builder.Services.AddScoped(services =>
            services.GetRequiredService<IDbContextFactory<StudyDbContext>>().CreateDbContext().WithoutParticipantLimit());
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Warns at start when all nodes' pools could open more connections than the server allows.
        builder.Services.AddHostedService<ConnectionBudgetCheck>();
        return builder;
    }

    /// <summary>Applies pending migrations when Database:MigrateOnStart is true (the default).</summary>
    public static async Task MigrateIfConfiguredAsync(this IHost host)
    {
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        if (!configuration.GetValue("Database:MigrateOnStart", true))
        {
            return;
        }
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StudyDbContext>().Database.MigrateAsync();
    }

    private static void EnsureDatabaseExists(PostgresCluster cluster, string name)
    {
        using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(name);
        if (exists.ExecuteScalar() is null)
        {
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
    }
}

/// <summary>Stops the private cluster when the host stops (Ctrl-C included).</summary>
internal sealed class EmbeddedClusterLifetime(PostgresCluster cluster, ILogger<EmbeddedClusterLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Embedded PostgreSQL listening on 127.0.0.1:{Port}", cluster.Port);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await cluster.StopAsync();
        logger.LogInformation("Embedded PostgreSQL stopped");
    }
}
