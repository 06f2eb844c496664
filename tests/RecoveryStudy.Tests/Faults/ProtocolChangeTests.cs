using System.Diagnostics;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// Issue 24's protocol-change scenario: while a node sends a wave's invitations through a slow relay,
/// a new protocol version moves the wave a week later and adds a second reminder. What was sent is
/// never sent again and keeps its announced window; nothing goes out at the old due time once the
/// version is committed (apart from the few emails already past the send-time check, on the wire);
/// every pending invitation moves to the new date; every sent one gets the new reminder planned.
/// </summary>
[Collection(nameof(FaultsCollection))]
public sealed class ProtocolChangeTests(DatabaseFixture database, SmtpSink sink, ITestOutputHelper output)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private const int Participants = 400;

    /// <summary>
    /// Emails that may already be past the send-time check when the version commits: a group being
    /// checked, the channel of checked ones, the one being composed, the composed ones and the one
    /// on the wire (docs/design.md, "Mail pipeline").
    /// </summary>
    private const int OnTheWire = 2 * MailOptions.DefaultOutcomeGroupSize + ComposeStage.Ahead + 2;

    [Fact]
    public async Task A_protocol_change_imported_during_dispatch_never_resends_and_moves_what_is_pending()
    {
        var figures = new Figures(output, "protocol change imported during dispatch");
        var code = "pc" + Guid.NewGuid().ToString("N")[..8];
        await using var study = await FaultStudy.ImportAsync(database.ConnectionString, FaultProtocol.Json(code, offsetDays: 0, reminderDays: [3]));
        await study.EnrollAsync(Participants);
        sink.DelayData(TimeSpan.FromMilliseconds(25));
        var settings = NodeProcess.Settings(database.ConnectionString, sink.Port, new Dictionary<string, string>
        {
            ["Mail:BatchSize"] = "400",
            ["Jobs:Workers"] = "1",
        });
        await using var nodes = await Nodes.StartAsync(1, settings);
        Assert.True(await Poll.UntilAsync(async () => await study.InvitationEmailsSentAsync() >= 60, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(100)),
            "sending did not start: " + nodes.Logs());

        // Version 2: the wave a week later, and a second reminder.
        var sentBefore = await study.InvitationEmailsSentAsync();
        await using (var db = DatabaseSetup.CreateContext(database.ConnectionString))
        {
            var result = await new ProtocolImporter(db, TimeProvider.System)
                .ImportAsync(FaultProtocol.Json(code, offsetDays: 7, reminderDays: [3, 7]), Actor.Cli, CancellationToken.None);
            Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => p.Message)));
        }
        var atCommit = SinkCounts.Of(sink).OutboxIds().ToHashSet();
        var claimedAtCommit = await study.CountAsync(
            "SELECT count(*)::int FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE i.study_id = @study AND m.status = 'sending'");
        var settling = Stopwatch.StartNew();

        var settled = await Poll.UntilAsync(async () => await study.CountAsync(
                """
                SELECT count(*)::int FROM participants p WHERE p.study_id = @study
                  AND (p.schedule_stale OR EXISTS (SELECT FROM messages m JOIN invitations i ON i.id = m.invitation_id
                                                   WHERE i.participant_id = p.id AND (m.status = 'sending' OR (m.status = 'queued' AND m.due_at <= now()))))
                """) == 0, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        var settleTime = settling.Elapsed;
        sink.DelayData(TimeSpan.Zero);

        var received = SinkCounts.Of(sink);
        var sentAfterCommit = received.OutboxIds().Count(id => !atCommit.Contains(id));
        var sent = await study.InvitationEmailsSentAsync();
        var givenBack = await study.CountAsync(
            "SELECT count(*)::int FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE i.study_id = @study AND m.last_error LIKE 'the plan changed%'");
        // Pending: still queued, due a week after the old date at the study's send time, the invitation's window moved with it.
        var pending = await study.CountAsync(
            "SELECT count(*)::int FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE i.study_id = @study AND m.kind = 'invitation' AND m.status = 'queued'");
        var moved = await study.CountAsync(
            """
            SELECT count(*)::int FROM messages m JOIN invitations i ON i.id = m.invitation_id
            JOIN participant_anchors a ON a.participant_id = i.participant_id AND a.name = 'course_end'
            WHERE i.study_id = @study AND m.kind = 'invitation' AND m.status = 'queued' AND i.status = 'planned'
              AND i.due_date = a.date + 7 AND m.due_at = (a.date + 7 + time '09:00') AT TIME ZONE 'Europe/Warsaw'
            """);
        // Sent: the window as announced, and reminders 1 and 2 of the new policy queued.
        var sentKeptWindow = await study.CountAsync(
            """
            SELECT count(*)::int FROM invitations i JOIN participant_anchors a ON a.participant_id = i.participant_id AND a.name = 'course_end'
            WHERE i.study_id = @study AND i.status = 'sent' AND i.due_date = a.date
            """);
        var withNewReminder = await study.CountAsync(
            """
            SELECT count(*)::int FROM invitations i WHERE i.study_id = @study AND i.status = 'sent'
              AND EXISTS (SELECT FROM messages m WHERE m.invitation_id = i.id AND m.kind = 'reminder' AND m.step = 1 AND m.status = 'queued')
              AND EXISTS (SELECT FROM messages m WHERE m.invitation_id = i.id AND m.kind = 'reminder' AND m.step = 2 AND m.status = 'queued')
            """);
        var remindersOfPending = await study.CountAsync(
            "SELECT count(*)::int FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE i.study_id = @study AND m.kind <> 'invitation' AND i.status = 'planned'");
        figures.Print($"{Participants} due, 1 node, relay 25 ms per email; {sentBefore} sent when version 2 was imported, {claimedAtCommit} claimed in the " +
            $"running batch at its commit; after the commit {sentAfterCommit} sent at the old due time (on the wire, at most {OnTheWire}), {givenBack} given back " +
            $"unsent; {sent} sent in all, {received.Duplicates} Message-ID(s) twice, {received.RecipientsEmailedTwice} participant(s) emailed twice; " +
            $"{moved} of {pending} pending moved a week later; {withNewReminder} of {sent} sent have reminders 1 and 2 queued; " +
            $"{settleTime.TotalSeconds:F1} s from the import to everything re-planned");

        Assert.True(settled, "the study was not re-planned in time: " + nodes.Logs());
        Assert.True(claimedAtCommit > OnTheWire, $"only {claimedAtCommit} emails were in the running batch at the commit: the scenario did not happen");
        Assert.Equal(0, received.Duplicates);
        Assert.Equal(0, received.RecipientsEmailedTwice);
        Assert.Equal(sent, received.Emails);
        Assert.True(sentAfterCommit <= OnTheWire, $"{sentAfterCommit} invitations went out at the old due time after the new version was committed");
        Assert.Equal(Participants, sent + pending);
        Assert.True(pending > 0);
        Assert.Equal(pending, moved);
        Assert.Equal(sent, sentKeptWindow);
        Assert.Equal(sent, withNewReminder);
        Assert.Equal(0, remindersOfPending);
    }
}
