using System.Globalization;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// Withdrawals and opt-outs committed (through the participant's own choice, as the survey page
/// applies it) while their invitation emails are queued or already claimed by a node's running
/// batch (issue 24's withdrawal scenario): none of them is sent. A slow relay keeps the claimed
/// ones waiting in the batch long enough for the choice to commit before they reach the wire.
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class StopWhileClaimedTests(DatabaseFixture database, SmtpSink sink, ITestOutputHelper output)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private const int Participants = 500;

    [Fact]
    public async Task A_withdrawal_or_opt_out_committed_while_the_email_is_queued_or_claimed_stops_it()
    {
        var figures = new Figures(output, "withdrawal and opt-out while queued or claimed");
        await using var study = await FaultStudy.CreateAsync(database.ConnectionString);
        await study.EnrollAsync(Participants);
        sink.DelayData(TimeSpan.FromMilliseconds(25));
        var settings = NodeProcess.Settings(database.ConnectionString, sink.Port, new Dictionary<string, string>
        {
            ["Mail:BatchSize"] = "250",
            ["Jobs:Workers"] = "1",
        });
        await using var nodes = await Nodes.StartAsync(1, settings);
        Assert.True(await Poll.UntilAsync(async () => await study.InvitationEmailsSentAsync() >= 20, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(100)),
            "sending did not start: " + nodes.Logs());

        // The last claimed of the running batch, and the first still queued.
        var claimed = await InvitationsAsync(study, "sending", "DESC");
        var queued = await InvitationsAsync(study, "queued", "ASC");
        var targets = claimed.Concat(queued).ToList();
        await using (var db = DatabaseSetup.CreateContext(database.ConnectionString))
        {
            var clock = TimeProvider.System;
            for (var i = 0; i < targets.Count; i++)
            {
                var choice = i % 2 == 0 ? ParticipantChoice.Withdraw : ParticipantChoice.StopAllEmail;
                Assert.True(await ParticipantChoices.ApplyAsync(db, clock, targets[i].InvitationId, choice, null, CancellationToken.None));
            }
        }
        var alreadyAtSink = SinkCounts.Of(sink).OutboxIds().ToHashSet();
        var stillClaimedAtCommit = await study.CountAsync("SELECT count(*)::int FROM messages WHERE id = ANY(@ids) AND status = 'sending'",
            ("ids", claimed.Select(c => c.MessageId).ToArray()));

        Assert.True(await Poll.UntilAsync(async () => (await study.StatusesAsync()).GetValueOrDefault("sending") == 0
                && await study.InvitationEmailsSentAsync() >= Participants - targets.Count, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250)),
            "the rest was not sent: " + nodes.Logs());
        sink.DelayData(TimeSpan.Zero);
        var received = SinkCounts.Of(sink).OutboxIds().ToHashSet();
        var sentToStopped = targets.Count(t => received.Contains(t.MessageId));
        var cancelled = await study.CountAsync("SELECT count(*)::int FROM messages WHERE id = ANY(@ids) AND status = 'cancelled'",
            ("ids", targets.Select(t => t.MessageId).ToArray()));
        figures.Print($"{Participants} due, 1 node; {claimed.Count} claimed (still claimed at commit: {stillClaimedAtCommit}) and {queued.Count} queued " +
            $"participants withdrew or opted out mid-batch; emails sent to them: {sentToStopped}; their messages cancelled: {cancelled}; " +
            $"{received.Count} emails at the sink");

        Assert.DoesNotContain(targets, t => alreadyAtSink.Contains(t.MessageId));
        Assert.True(stillClaimedAtCommit > 0, "the claimed targets had left the batch before the choices committed");
        Assert.Equal(0, sentToStopped);
        Assert.Equal(targets.Count, cancelled);
        Assert.Equal(Participants - targets.Count, received.Count);
    }

    private static async Task<List<(long MessageId, long InvitationId)>> InvitationsAsync(FaultStudy study, string status, string order)
    {
        await using var command = study.DataSource.CreateCommand(string.Create(CultureInfo.InvariantCulture,
            $"""
            SELECT m.id, m.invitation_id FROM messages m JOIN invitations i ON i.id = m.invitation_id
            WHERE i.study_id = $1 AND m.kind = 'invitation' AND m.status = '{status}' ORDER BY m.id {order} LIMIT 10
            """));
        command.Parameters.AddWithValue(study.Study.Id);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        return rows;
    }
}
