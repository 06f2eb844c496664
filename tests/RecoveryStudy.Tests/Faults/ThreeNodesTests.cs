using System.Diagnostics;
using RecoveryStudy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// Issue 24's first scenario, scaled from 10,000 participants to 2,000 so that every fault
/// scenario together stays within a few minutes on two cores: three node processes plan and send
/// a wave that falls due for everyone at once. `FAULT_PARTICIPANTS=10000` runs it at the issue's
/// full scale (bench/README.md has the figures of such a run).
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class ThreeNodesTests(DatabaseFixture database, SmtpSink sink, ITestOutputHelper output)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private static readonly int Participants =
        int.TryParse(Environment.GetEnvironmentVariable("FAULT_PARTICIPANTS"), out var count) && count > 0 ? count : 2_000;

    [Fact]
    public async Task Three_nodes_plan_and_send_every_invitation_due_at_once_each_exactly_once()
    {
        var figures = new Figures(output, $"3 nodes, {Participants:N0} due at once");
        await using var study = await FaultStudy.CreateAsync(database.ConnectionString);
        await study.EnrollAsync(Participants);
        var clock = Stopwatch.StartNew();
        await using var nodes = await Nodes.StartAsync(3, NodeProcess.Settings(database.ConnectionString, sink.Port));

        var done = await Poll.UntilAsync(async () => await study.InvitationEmailsSentAsync() >= Participants,
            TimeSpan.FromSeconds(150.0 * Math.Max(1, Participants / 2_000.0)), TimeSpan.FromMilliseconds(500));
        var elapsed = clock.Elapsed;
        await sink.WaitForAsync(Participants, TimeSpan.FromSeconds(10));
        var invitations = await study.InvitationsAsync();
        var received = SinkCounts.Of(sink);
        var statuses = await study.StatusesAsync();
        figures.Print($"{invitations} invitations planned, {received.Emails} emails accepted by the sink, {received.Duplicates} Message-ID(s) twice, " +
            $"{received.RecipientsEmailedTwice} participant(s) emailed twice; statuses {string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}"))}; " +
            $"{elapsed.TotalSeconds:F0} s from the nodes' start to the last invitation recorded sent");

        Assert.True(done, "not every invitation was sent in time: " + nodes.Logs());
        Assert.Equal(Participants, invitations);
        Assert.Equal(Participants, received.Emails);
        Assert.Equal(0, received.Duplicates);
        Assert.Equal(0, received.RecipientsEmailedTwice);
    }
}
