using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using RecoveryStudy.Bounces;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Pages.Console.Studies;

namespace RecoveryStudy.Tests.Bounces;

/// <summary>The `bounces` job against a real Dovecot holding real DSN, ARF, out-of-office and free-text samples.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BounceMailboxTests(DatabaseFixture database, SmtpSink sink, DovecotServer imap)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>, IClassFixture<DovecotServer>, IAsyncLifetime
{
    public Task InitializeAsync() => imap.ClearAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private BounceOptions Options(int softInARow = 3) => new()
    {
        Address = VerpEnvelopeTests.Options.Address,
        Secret = VerpEnvelopeTests.Options.Secret,
        SoftBouncesInARow = softInARow,
        Imap = imap.Settings,
        // One read per run here; BounceIdleTests waits with IDLE.
        IdleFor = TimeSpan.Zero,
    };

    private BounceJob Job(MailWorld world, BounceOptions? options = null) =>
        new(world.DataSource, Microsoft.Extensions.Options.Options.Create(options ?? Options()), world.Clock, NullLogger<BounceJob>.Instance);

    /// <summary>A participant whose invitation went out (its reminder queued), and the envelope sender it went out with.</summary>
    private async Task<(Participant Participant, string Verp, string MessageId)> InvitedAsync(MailWorld world, string code)
    {
        var participant = await world.ParticipantAsync(code);
        await world.Jobs.TickAsync();
        var (email, verp) = Assert.Single(sink.MessagesWithEnvelopeSender(), m => m.Message.To.Mailboxes.Single().Address == participant.Contact!.Email);
        return (participant, verp, email.MessageId!);
    }

    private static Task<Participant> ReloadAsync(MailWorld world, int id) => world.Db.Participants.AsNoTracking().SingleAsync(p => p.Id == id);

    private static async Task<List<RecoveryStudy.Mail.Message>> MessagesOfAsync(MailWorld world, int participantId)
    {
        var invitations = await world.Db.Invitations.AsNoTracking().Where(i => i.ParticipantId == participantId).Select(i => i.Id).ToListAsync();
        return (await world.MessagesAsync()).Where(m => invitations.Contains(m.InvitationId)).ToList();
    }

    [Fact]
    public async Task A_dsn_for_a_sent_invitation_flags_the_participant_undeliverable_in_one_run_cancels_the_reminder_and_shows_on_the_dashboard()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: Options());
        var (participant, verp, messageId) = await InvitedAsync(world, "B-HARD");
        Assert.Contains(await MessagesOfAsync(world, participant.Id), m => m.Kind == MessageKind.Reminder && m.Status == MessageStatus.Queued);
        await imap.AppendAsync(BounceSamples.Dsn(verp, participant.Contact!.Email, messageId));

        var run = await Job(world).RunAsync(CancellationToken.None);

        Assert.Equal(1, run.Count(BounceKind.Hard));
        Assert.NotNull((await ReloadAsync(world, participant.Id)).UndeliverableAt);
        var messages = await MessagesOfAsync(world, participant.Id);
        var reminder = Assert.Single(messages, m => m.Kind == MessageKind.Reminder);
        Assert.Equal((MessageStatus.Cancelled, "undeliverable"), (reminder.Status, reminder.CancelReason));
        var invitation = await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == participant.Id);
        Assert.Equal(InvitationStatus.Undeliverable, invitation.Status);
        var report = await world.Db.BounceReports.AsNoTracking().SingleAsync(b => b.ParticipantId == participant.Id);
        Assert.Equal((BounceKind.Hard, "5.1.1"), (report.Kind, report.Status));
        Assert.DoesNotContain(participant.Contact.Email, report.Detail ?? "", StringComparison.OrdinalIgnoreCase);

        // The dashboard's figures: the wave counts the undeliverable invitation.
        var figures = await DashboardFigures.ComputeAsync(world.Db, world.DataSource, world.Study.Id, null, CancellationToken.None);
        Assert.Equal(1, figures.First(f => f.Cohort is null).Undeliverable);
        // Kept, not deleted: moved out of the inbox into Processed.
        Assert.Equal((0, 1, 0), (await imap.CountAsync("INBOX"), await imap.CountAsync("Processed"), await imap.CountAsync("Unparsed")));
    }

    [Fact]
    public async Task A_forged_dsn_with_a_wrong_hmac_changes_nothing_and_is_counted()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: Options());
        var (participant, verp, messageId) = await InvitedAsync(world, "B-FORGED");
        var at = verp.IndexOf('@', StringComparison.Ordinal);
        var forged = verp[..(at - 4)] + (verp[(at - 4)..at] == "0000" ? "1111" : "0000") + verp[at..];
        await imap.AppendAsync(BounceSamples.Dsn(forged, participant.Contact!.Email, messageId));
        var before = await MessagesOfAsync(world, participant.Id);

        var run = await Job(world).RunAsync(CancellationToken.None);

        Assert.Equal(1, run.Count(BounceKind.Forged));
        var after = await ReloadAsync(world, participant.Id);
        Assert.Null(after.UndeliverableAt);
        Assert.Equal(before.Select(m => (m.Id, m.Status)), (await MessagesOfAsync(world, participant.Id)).Select(m => (m.Id, m.Status)));
        var report = await world.Db.BounceReports.AsNoTracking().OrderBy(b => b.Id).LastAsync();
        Assert.Equal((BounceKind.Forged, null, null), (report.Kind, report.ParticipantId, report.MessageId));
        Assert.Equal(1, await imap.CountAsync("Processed"));
    }

    [Fact]
    public async Task An_arf_complaint_opts_the_participant_out_of_all_email()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: Options());
        var (participant, verp, messageId) = await InvitedAsync(world, "B-ARF");
        await imap.AppendAsync(BounceSamples.Arf(verp, participant.Contact!.Email, messageId));

        var run = await Job(world).RunAsync(CancellationToken.None);

        Assert.Equal(1, run.Count(BounceKind.Complaint));
        var after = await ReloadAsync(world, participant.Id);
        Assert.NotNull(after.OptedOutAt);
        Assert.Null(after.UndeliverableAt);
        Assert.All((await MessagesOfAsync(world, participant.Id)).Where(m => m.Kind != MessageKind.Invitation),
            m => Assert.Equal((MessageStatus.Cancelled, "opted_out"), (m.Status, m.CancelReason)));
        Assert.True(await world.Db.AuditEntries.AnyAsync(a => a.Action == "participant.opt_out" && a.TargetId == participant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) && a.ActorKind == "system"));
    }

    [Fact]
    public async Task An_out_of_office_reply_changes_nothing()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: Options());
        var (participant, verp, _) = await InvitedAsync(world, "B-OOO");
        await imap.AppendAsync(BounceSamples.OutOfOffice(verp, participant.Contact!.Email));
        var before = await MessagesOfAsync(world, participant.Id);

        var run = await Job(world).RunAsync(CancellationToken.None);

        Assert.Equal(1, run.Count(BounceKind.AutoReply));
        var after = await ReloadAsync(world, participant.Id);
        Assert.Equal((null, null), (after.UndeliverableAt, after.OptedOutAt));
        Assert.Equal(before.Select(m => (m.Id, m.Status)), (await MessagesOfAsync(world, participant.Id)).Select(m => (m.Id, m.Status)));
        Assert.Equal(1, await imap.CountAsync("Processed"));
    }

    [Fact]
    public async Task A_message_that_names_no_email_of_ours_is_moved_to_unparsed_and_counted_never_deleted()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: Options());
        await imap.AppendAsync(BounceSamples.FreeText(VerpEnvelopeTests.Options.Address));
        await imap.AppendAsync(BounceSamples.Dsn("someone-else@example.net", "x@example.org", "other@example.net"));

        var run = await Job(world).RunAsync(CancellationToken.None);

        Assert.Equal(2, run.Count(BounceKind.Unparsed));
        Assert.Equal((0, 0, 2), (await imap.CountAsync("INBOX"), await imap.CountAsync("Processed"), await imap.CountAsync("Unparsed")));
    }

    [Fact]
    public async Task Soft_bounces_are_counted_and_the_address_is_undeliverable_after_the_configured_number_in_a_row()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: Options(softInARow: 2));
        var (participant, verp, messageId) = await InvitedAsync(world, "B-SOFT");
        await imap.AppendAsync(BounceSamples.Dsn(verp, participant.Contact!.Email, messageId, "delayed", "4.2.2", "smtp; 452 4.2.2 Mailbox full"));

        Assert.Equal(1, (await Job(world, Options(softInARow: 2)).RunAsync(CancellationToken.None)).Count(BounceKind.Soft));
        Assert.Null((await ReloadAsync(world, participant.Id)).UndeliverableAt);

        // The reminder goes out three days later and soft-bounces too: two in a row.
        world.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(1, await world.Jobs.TickAsync());
        var (reminder, reminderVerp) = sink.MessagesWithEnvelopeSender().Last(m => m.Message.To.Mailboxes.Single().Address == participant.Contact.Email);
        Assert.NotEqual(verp, reminderVerp);
        await imap.AppendAsync(BounceSamples.Dsn(reminderVerp, participant.Contact.Email, reminder.MessageId!, "failed", "4.2.2", "smtp; 452 4.2.2 Mailbox full"));

        Assert.Equal(1, (await Job(world, Options(softInARow: 2)).RunAsync(CancellationToken.None)).Count(BounceKind.Soft));
        Assert.NotNull((await ReloadAsync(world, participant.Id)).UndeliverableAt);
        Assert.Equal(2, await world.Db.BounceReports.CountAsync(b => b.ParticipantId == participant.Id && b.Kind == BounceKind.Soft));
    }

    [Fact]
    public async Task The_same_report_read_twice_is_recorded_once()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: Options(softInARow: 1));
        var (participant, verp, messageId) = await InvitedAsync(world, "B-TWICE");
        var dsn = BounceSamples.Dsn(verp, participant.Contact!.Email, messageId, "delayed", "4.4.1", "smtp; 421 4.4.1 timeout");
        await imap.AppendAsync(dsn);
        await Job(world, Options(softInARow: 1)).RunAsync(CancellationToken.None);
        // As if the run had stopped after recording and before moving: the same message is still in the inbox.
        await imap.AppendAsync(dsn);

        await Job(world, Options(softInARow: 1)).RunAsync(CancellationToken.None);

        Assert.Equal(1, await world.Db.BounceReports.CountAsync(b => b.ParticipantId == participant.Id));
        Assert.Equal(2, await imap.CountAsync("Processed"));
    }
}
