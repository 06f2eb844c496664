using System.Diagnostics.Metrics;

namespace RecoveryStudy.Mail;

/// <summary>
/// Counters of the outbox (exported at /metrics, docs/operations.md "Health checks and metrics"),
/// each added to where the message's state changes and only for what was written. They are
/// per process: Prometheus adds up the nodes. Send outcomes carry the relay's name
/// (<see cref="IMailTransport.RelayName"/>), never anything about a participant.
/// </summary>
public static class MailMetrics
{
    public const string MeterName = "RecoveryStudy.Mail";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> QueuedCounter = Meter.CreateCounter<long>("recoverystudy.mail.queued", "{email}",
        "Emails written to the outbox by the plan job");

    private static readonly Counter<long> SentCounter = Meter.CreateCounter<long>("recoverystudy.mail.sent", "{email}",
        "Emails the relay accepted");

    private static readonly Counter<long> RetriedCounter = Meter.CreateCounter<long>("recoverystudy.mail.retried", "{email}",
        "Send attempts that ended in a temporary failure or an unknown outcome and will be tried again");

    private static readonly Counter<long> FailedCounter = Meter.CreateCounter<long>("recoverystudy.mail.failed", "{email}",
        "Emails failed for good: refused by the relay, recipient rejected, or out of attempts");

    private static readonly Counter<long> DeferredCounter = Meter.CreateCounter<long>("recoverystudy.mail.deferred", "{email}",
        "Due emails put off at send time: outside the allowed hours, over the daily cap, or a reminder before its invitation");

    private static readonly Counter<long> CancelledCounter = Meter.CreateCounter<long>("recoverystudy.mail.cancelled", "{email}",
        "Due emails stopped at send time because they may no longer go out (withdrawn, completed, opted out, window closed)");

    public static void Queued(int count) => Add(QueuedCounter, count, null);

    public static void Sent(string relay, int count) => Add(SentCounter, count, relay);

    public static void Retried(string relay) => Add(RetriedCounter, 1, relay);

    public static void Failed(string relay) => Add(FailedCounter, 1, relay);

    /// <summary>What one claim decided without sending.</summary>
    internal static void Claimed(string relay, Claim part)
    {
        Add(DeferredCounter, part.Deferred, relay);
        Add(CancelledCounter, part.Cancelled, relay);
    }

    private static void Add(Counter<long> counter, int count, string? relay)
    {
        if (count <= 0)
        {
            return;
        }
        if (relay is null)
        {
            counter.Add(count);
        }
        else
        {
            counter.Add(count, new KeyValuePair<string, object?>("relay", relay));
        }
    }
}
