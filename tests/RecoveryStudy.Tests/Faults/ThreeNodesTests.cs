using System.Diagnostics;
using RecoveryStudy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// Issue 24's first scenario, scaled from 10,000 participants to 2,000 so that every fault
/// scenario together stays within a few minutes on two cores: three node processes plan and send
/// a wave that falls due for everyone at once.
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class ThreeNodesTests(DatabaseFixture database, SmtpSink sink, ITestOutputHelper output)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private const int Participants = 2_000;

    [Fact]
    public async Task Three_nodes_plan_and_send_2000_due_at_once_each_exactly_once()
    {
        var figures = new Figures(output, "3 nodes, 2,000 due at once");
        await using var study = await FaultStudy.CreateAsync(database.ConnectionString);
        await study.EnrollAsync(Participants);
        var clock = Stopwatch.StartNew();
        await using var nodes = await Nodes.StartAsync(3, NodeProcess.Settings(database.ConnectionString, sink.Port));

        var done = await Poll.UntilAsync(async () => await study.InvitationEmailsSentAsync() >= Participants,
            TimeSpan.FromSeconds(150), TimeSpan.FromMilliseconds(500));
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
