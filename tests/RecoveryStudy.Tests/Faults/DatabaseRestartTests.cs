using System.Diagnostics;
using RecoveryStudy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// PostgreSQL restarted (a fast shutdown, a few seconds down, started again) while two nodes plan
/// and send (issue 24's third scenario, 1,500 participants instead of 10,000). The cluster is this
/// class's own: the run's shared server is never restarted under other tests.
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class DatabaseRestartTests(PrivatePostgres postgres, SmtpSink sink, ITestOutputHelper output)
    : IClassFixture<PrivatePostgres>, IClassFixture<SmtpSink>
{
    private const int Participants = 1_000;
    private const int Late = 500;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_a_database_restart_the_nodes_recover_alone_and_nothing_is_lost_doubled_or_left_waiting_for_a_lease()
    {
        var figures = new Figures(output, "PostgreSQL restarted during planning and dispatch");
        await using var study = await FaultStudy.CreateAsync(postgres.ConnectionString());
        await study.EnrollAsync(Participants, "A-");
        sink.DelayData(TimeSpan.FromMilliseconds(10));
        var settings = NodeProcess.Settings(postgres.ConnectionString(), sink.Port, new Dictionary<string, string>
        {
            ["Mail:BatchSize"] = "400",
            ["Mail:ClaimLease"] = "00:01:00",
        });
        await using var nodes = await Nodes.StartAsync(2, settings);
        Assert.True(await Poll.UntilAsync(async () => await study.InvitationEmailsSentAsync() >= 150, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(100)),
            "sending did not start: " + nodes.Logs());

        // More participants join just before the restart, so planning runs into it as well as dispatch.
        await study.EnrollAsync(Late, "B-");
        var sentBefore = await study.InvitationEmailsSentAsync();
        var restart = postgres.RestartAsync(TimeSpan.FromSeconds(4));
        var healthWhileDown = await RedSeenAsync(nodes[0], restart);
        await restart;
        var back = Stopwatch.StartNew();
        var atSinkWhenBack = SinkCounts.Of(sink).Emails;

        var total = Participants + Late;
        // Sending resumes on its own: the first new email reaches the relay after the database is
        // back (outcomes held through the outage were at the sink already). A node waiting for a
        // lease, or for its dispatch job to be retried, would hold this for tens of seconds.
        var resumed = await Poll.UntilAsync(() => SinkCounts.Of(sink).Emails > atSinkWhenBack, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(100));
        var resumedAfter = back.Elapsed;
        var done = await Poll.UntilAsync(async () => await SentSafelyAsync(study) >= total, TimeSpan.FromSeconds(180), TimeSpan.FromMilliseconds(250));
        var sentAfter = back.Elapsed;
        var greenAgain = await Poll.UntilAsync(async () => (await Task.WhenAll(nodes.All.Select(n => n.HealthAsync()))).All(h => h == 200),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        var greenAfter = back.Elapsed;
        sink.DelayData(TimeSpan.Zero);
        var received = SinkCounts.Of(sink);
        var reaped = await study.CountAsync(
            "SELECT count(*)::int FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE i.study_id = @study AND m.last_error LIKE 'claim expired%'");
        var invitations = await study.InvitationsAsync();
        var logs = nodes.Logs();
        var held = logs.Split("outcomes are held").Length - 1 + logs.Split("at the send-time check").Length - 1;
        figures.Print($"{total} due ({Late} enrolled just before the restart), 2 nodes, lease {Lease.TotalSeconds:F0} s; restarted after {sentBefore} sent; " +
            $"/health on node 1 while down: {healthWhileDown}; after the restart {invitations} invitations planned, {received.Emails} emails at the sink, " +
            $"{received.Duplicates} duplicate(s), lost {total - received.ByRecipient.Count}, {reaped} claim(s) that waited for their lease, {held} batch(es) that held their outcomes through the outage; " +
            $"sending resumed {resumedAfter.TotalSeconds:F0} s, everything sent {sentAfter.TotalSeconds:F0} s and /health green on both nodes {greenAfter.TotalSeconds:F0} s after the database was back");

        Assert.True(done, "not everything was sent after the restart: " + nodes.Logs());
        Assert.Equal("503", healthWhileDown);
        Assert.True(greenAgain, "/health did not turn green again: " + nodes.Logs());
        Assert.Equal(total, invitations);
        Assert.Equal(total, received.ByRecipient.Count);
        Assert.Equal(0, received.Duplicates);
        Assert.Equal(0, reaped);
        // How long the remaining 1,250 take depends on how busy the machine is (a full parallel test
        // run makes it several times slower); when sending resumes does not, unless something waits for a lease.
        Assert.True(resumed && resumedAfter < Lease / 2, $"sending resumed {resumedAfter.TotalSeconds:F0} s after the database was back: nearly as long as a lease");
    }

    /// <summary>What the node's /health answered while the database was down: "503" once seen, else the last answer.</summary>
    private static async Task<string> RedSeenAsync(NodeProcess node, Task restart)
    {
        var last = "none";
        while (!restart.IsCompleted)
        {
            var status = await node.HealthAsync();
            last = status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer";
            if (status == 503)
            {
                return last;
            }
            await Task.Delay(200);
        }
        return last;
    }

    /// <summary>Sent invitation emails; 0 while the database is still coming up.</summary>
    private static async Task<int> SentSafelyAsync(FaultStudy study)
    {
        try
        {
            return await study.InvitationEmailsSentAsync();
        }
        catch (Npgsql.NpgsqlException)
        {
            return 0;
        }
    }
}
