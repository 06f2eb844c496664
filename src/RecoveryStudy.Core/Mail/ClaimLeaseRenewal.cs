using Dapper;
using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>
/// Keeps a running batch's claims alive: every third of <see cref="MailOptions.ClaimLease"/> the
/// claims of this dispatcher still "sending" get a full lease again. So the lease can be short
/// (a dead node's claims are taken over within about a lease) without a long batch losing its
/// claims to another node. A renewal that fails (database away) is tried again at the next round;
/// it runs until the batch has recorded and given back everything.
/// </summary>
internal static class ClaimLeaseRenewal
{
    private const string RenewSql = """
        UPDATE messages SET claimed_until = @until
        WHERE claimed_until IS NOT NULL AND claimed_by = @node AND status = 'sending'
        """;

    public static async Task RunAsync(NpgsqlDataSource dataSource, string node, MailOptions options, TimeProvider clock, CancellationToken stop)
    {
        var every = options.ClaimLease / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, clock, stop);
                await using var connection = await dataSource.OpenConnectionAsync(stop);
                await connection.ExecuteAsync(RenewSql, new { node, until = clock.GetUtcNow().UtcDateTime + options.ClaimLease });
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (DatabaseOutage.Is(e))
            {
                // The next round tries again; until then the lease granted last still holds.
            }
        }
    }
}
