using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>
/// The `dispatch` job: takes one of the relay's connection slots (<see cref="RelayConnectionSlots"/>;
/// none free, it ends at once), then sends batches until nothing is due or the run budget is spent
/// (the next tick continues), waiting for the relay's rate limit in between. Short on purpose: a job
/// that outlives Hangfire's invisibility timeout would be started a second time.
/// </summary>
public sealed class DispatchJob(Dispatcher dispatcher, NpgsqlDataSource dataSource, IOptions<MailOptions> options, TimeProvider clock,
    ILogger<DispatchJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var mail = options.Value;
        var slot = await RelayConnectionSlots.TakeAsync(dataSource, dispatcher.Relay, dispatcher.Node, mail.ConnectionsPerRelay,
            mail.ConnectionLease, Now(), cancellationToken);
        if (slot is not int held)
        {
            logger.LogDebug("All {Slots} connection slot(s) of the relay are held; this run sends nothing", mail.ConnectionsPerRelay);
            return 0;
        }
        try
        {
            return await SendAsync(held, cancellationToken);
        }
        finally
        {
            await GiveBackAsync(held);
        }
    }

    private async Task<int> SendAsync(int slot, CancellationToken cancellationToken)
    {
        var budget = Stopwatch.StartNew();
        var sent = 0;
        while (budget.Elapsed < options.Value.RunBudget)
        {
            var result = await dispatcher.DispatchBatchAsync(cancellationToken);
            sent += result.Sent;
            if (result.RelayUnreachable
                || !await RelayConnectionSlots.RenewAsync(dataSource, dispatcher.Relay, slot, dispatcher.Node, options.Value.ConnectionLease, Now()))
            {
                break;
            }
            if (result.RateLimitedUntil is DateTime until)
            {
                // A permit that freed while the batch was still sending is free now, not a reason to stop.
                var wait = until - Now();
                if (wait <= TimeSpan.Zero)
                {
                    continue;
                }
                if (budget.Elapsed + wait < options.Value.RunBudget)
                {
                    await Task.Delay(wait, clock, cancellationToken);
                    continue;
                }
                break;
            }
            if (result.Due == 0 || result.Due < options.Value.BatchSize && result.Sent + result.Retried + result.Failed == 0)
            {
                break;
            }
        }
        if (sent > 0)
        {
            logger.LogInformation("Dispatched {Sent} message(s) in {Elapsed} ms", sent, budget.ElapsedMilliseconds);
        }
        return sent;
    }

    /// <summary>A slot not given back (database gone) frees itself when its lease runs out; the run's own outcome stands.</summary>
    private async Task GiveBackAsync(int slot)
    {
        try
        {
            await RelayConnectionSlots.ReleaseAsync(dataSource, dispatcher.Relay, slot, dispatcher.Node);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            logger.LogWarning("Connection slot {Slot} not given back, it frees when its lease runs out: {Error}", slot, DispatchOutcomes.Redact(e.Message));
        }
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
