using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Web.Health;

/// <summary>
/// "claims" on /health: unhealthy when messages have stayed "sending" for a whole lease past the
/// end of their claim. A live dispatcher renews its claims, and the next batch on any node takes
/// over a dead one's once they run out; rows still stuck a lease later mean no dispatcher is
/// running (or none can reach the relay's queue), which a green /health would hide.
/// </summary>
internal sealed class StuckClaimsHealthCheck(NpgsqlDataSource dataSource, IOptions<MailOptions> options, TimeProvider clock) : IHealthCheck
{
    private const string StuckSql = "SELECT count(*) FROM messages WHERE status = 'sending' AND claimed_until < $1";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand(StuckSql);
            command.Parameters.AddWithValue(clock.GetUtcNow().UtcDateTime - options.Value.ClaimLease);
            command.CommandTimeout = 3;
            var stuck = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return stuck == 0
                ? HealthCheckResult.Healthy("no message stuck in 'sending'")
                : HealthCheckResult.Unhealthy($"{stuck} message(s) stuck in 'sending' for more than a lease after their claim ran out: no dispatcher has taken them over");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("claims unknown: database unreachable");
        }
    }
}
