using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Health;

/// <summary>
/// /health: 200 when the database answers, every migration is applied and a Hangfire server
/// of this deployment is alive, and no message is stuck in 'sending'; 503 otherwise, naming the failing part.
/// </summary>
public static class HealthEndpoint
{
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthProbes.Ready])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [HealthProbes.Ready])
            .AddCheck<MailHealthCheck>("mail")
            .AddCheck<StuckClaimsHealthCheck>("claims");
        if (builder.Configuration.GetValue("Jobs:Enabled", true))
        {
            checks.AddCheck<JobServerHealthCheck>("jobs");
        }
        return builder;
    }

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthProbes(); // /health/live, /health/ready
    }

    internal static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            version = Hosting.AppVersion.Text,
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            command.CommandTimeout = 3;
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("database reachable");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("database unreachable: " + e.Message);
        }
    }
}

internal sealed class MigrationsHealthCheck(StudyDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("all migrations applied")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied: run 'ops/recoverystudy migrate'");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("migrations unknown: database unreachable");
        }
    }
}

internal sealed class JobServerHealthCheck(JobStorage storage, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var alive = storage.GetMonitoringApi().Servers()
                .Count(s => s.Heartbeat is DateTime beat && now - beat < TimeSpan.FromMinutes(2));
            return Task.FromResult(alive > 0
                ? HealthCheckResult.Healthy($"{alive} job server(s) alive")
                : HealthCheckResult.Unhealthy("no Hangfire server has reported in the last 2 minutes"));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("job storage unreachable"));
        }
    }
}
