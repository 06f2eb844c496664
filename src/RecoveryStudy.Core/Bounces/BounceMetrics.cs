using System.Diagnostics.Metrics;

namespace RecoveryStudy.Bounces;

/// <summary>
/// What the `bounces` job read, by kind (hard, soft, complaint, auto_reply, forged, unparsed),
/// exported at /metrics as recoverystudy_bounces_read_total{kind="..."}. Per process, like
/// RecoveryStudy.Mail.MailMetrics: Prometheus adds up the nodes. Forged and unparsed are the ones to
/// alert on: someone is sending fake reports, or a relay writes reports the parser cannot read.
/// </summary>
public static class BounceMetrics
{
    public const string MeterName = "RecoveryStudy.Bounces";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> ReadCounter = Meter.CreateCounter<long>("recoverystudy.bounces.read", "{message}",
        "Messages the bounces job read from the bounce mailbox, by kind");

    public static void Read(string kind) => ReadCounter.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
