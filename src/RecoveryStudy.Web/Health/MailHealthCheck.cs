using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Web.Health;

/// <summary>
/// "mail" on /health: unhealthy when the relay has been unreachable for longer than
/// Mail:UnhealthyWhenUnreachableFor, or when Mail:UnhealthyWhenFailedPerDay messages failed for
/// good in the last 24 hours. A dispatcher that cannot send is never silent.
/// </summary>
internal sealed class MailHealthCheck(NpgsqlDataSource dataSource, IOptions<MailOptions> options, IMailTransport transport,
    TimeProvider clock, ILogger<MailHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            var state = await MailStatus.ReadAsync(dataSource, transport.RelayName, now, cancellationToken);
            var limits = options.Value;
            var summary = $"{state.Due} due, {state.FailedLastDay} failed in 24 h, {state.UnknownOutcomes} unknown outcome(s)";
            if (state.UnreachableSince is DateTime since && now - since > limits.UnhealthyWhenUnreachableFor)
            {
                logger.LogError("Mail relay {Relay} unreachable since {Since:u}", transport.RelayName, since);
                return HealthCheckResult.Unhealthy($"mail relay {transport.RelayName} unreachable since {since:u}; {summary}");
            }
            if (state.FailedLastDay >= limits.UnhealthyWhenFailedPerDay)
            {
                logger.LogError("{Failed} message(s) failed for good in the last 24 hours (limit {Limit}); see the outbox",
                    state.FailedLastDay, limits.UnhealthyWhenFailedPerDay);
                return HealthCheckResult.Unhealthy(
                    $"too many permanent failures: {state.FailedLastDay} message(s) failed for good in the last 24 hours (limit {limits.UnhealthyWhenFailedPerDay}); {summary}");
            }
            return HealthCheckResult.Healthy($"relay {transport.RelayName}: {summary}");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("mail state unknown: database unreachable");
        }
    }
}
