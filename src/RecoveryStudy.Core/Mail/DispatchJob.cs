using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RecoveryStudy.Mail;

/// <summary>
/// The `dispatch` job: sends batches until nothing is due or the run budget is spent (the next
/// tick continues), waiting for the relay's rate limit in between. Short on purpose: a job that
/// outlives Hangfire's invisibility timeout would be started a second time.
/// </summary>
public sealed class DispatchJob(Dispatcher dispatcher, IOptions<MailOptions> options, TimeProvider clock, ILogger<DispatchJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var budget = Stopwatch.StartNew();
        var sent = 0;
        while (budget.Elapsed < options.Value.RunBudget)
        {
            var result = await dispatcher.DispatchBatchAsync(cancellationToken);
            sent += result.Sent;
            if (result.RelayUnreachable)
            {
                break;
            }
            if (result.RateLimitedUntil is DateTime until)
            {
                var wait = until - clock.GetUtcNow().UtcDateTime;
                if (wait > TimeSpan.Zero && budget.Elapsed + wait < options.Value.RunBudget)
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
}
