using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace RecoveryStudy.Web.Health;

/// <summary>
/// The split a process supervisor or load balancer wants beside /health: /health/live answers 200
/// while the process serves requests at all (it runs no check, so a database outage never gets a
/// healthy process restarted); /health/ready answers 200 only when the database answers and every
/// migration is applied (the checks tagged <see cref="Ready"/>), so a node is given no traffic
/// before `migrate` has run or while its database is away.
/// </summary>
public static class HealthProbes
{
    public const string Ready = "ready";

    public static void MapHealthProbes(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthEndpoint.WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = HealthEndpoint.WriteAsync })
            .AllowAnonymous();
    }
}
