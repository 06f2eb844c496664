using Microsoft.Extensions.Logging;
using MimeKit;

namespace RecoveryStudy.Mail;

/// <summary>
/// The send loop of the jobs that mail outside the outbox (booking emails, interviewer reminders):
/// everything given is already claimed (committed) and admitted by <see cref="MailGate"/>. One relay
/// session; only an outcome certain not to have been delivered (4xx, relay unreachable, not
/// attempted) releases a claim for the next run; a refused or failed send stays claimed (never twice).
/// </summary>
public static class DirectSend
{
    /// <summary>Sends each item's email (null: not sent, stays claimed); returns how many went out.</summary>
    public static async Task<int> RunAsync<T>(IMailTransport transport, IReadOnlyList<T> due, Func<T, MimeMessage?> compose, Func<T, long> claimId,
        Func<long[], Task> release, ILogger logger, string what, CancellationToken ct)
    {
        var sent = 0;
        var released = new List<long>();
        try
        {
            if (due.Count == 0)
            {
                return 0;
            }
            await using var session = await transport.OpenAsync(ct);
            foreach (var item in due)
            {
                using var message = compose(item);
                if (message is null)
                {
                    logger.LogWarning("{What} {Claim} not sent: the address is refused", what, claimId(item));
                    continue;
                }
                var outcome = await session.SendAsync(message, ct);
                if (outcome.Result is SendResult.Temporary or SendResult.NotAttempted)
                {
                    released.Add(claimId(item));
                }
                else if (outcome.Result == SendResult.Sent)
                {
                    sent++;
                }
                else
                {
                    logger.LogWarning("{What} {Claim} not sent: {Result}", what, claimId(item), outcome.Result);
                }
            }
        }
        catch (MailRelayUnreachableException)
        {
            // Nothing went out: every claim of this run is released.
            released = [.. due.Select(claimId)];
        }
        finally
        {
            if (released.Count > 0)
            {
                await release([.. released.Distinct()]);
            }
        }
        if (sent > 0)
        {
            logger.LogInformation("Sent {Count} {What}(s)", sent, what);
        }
        return sent;
    }
}
