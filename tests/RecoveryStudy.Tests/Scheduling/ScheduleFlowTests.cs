using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Scheduling;

/// <summary>The scheduling semantics end to end: plan, dispatch to the SMTP sink, expire, with a moved clock.</summary>
public sealed class ScheduleFlowTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private List<MimeMessage> ReceivedBy(Participant participant) =>
        sink.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email)).ToList();

    private static async Task SetAsync(MailWorld world, string sql, params object[] parameters) =>
        await world.Db.Database.ExecuteSqlRawAsync(sql, parameters);

    [Fact]
    public async Task Days_left_is_filled_when_each_email_is_sent_not_when_it_was_planned()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3]);
        var participant = await world.ParticipantAsync("P-days");
        await world.Jobs.TickAsync();
        world.Clock.Advance(TimeSpan.FromDays(3));
        await world.Jobs.TickAsync();
        var emails = ReceivedBy(participant);
        Assert.Equal(2, emails.Count);
        Assert.Contains("(15 days left)", emails[0].TextBody);
        Assert.Contains("Reminder one: https://study.example.org/s/", emails[1].TextBody);
        Assert.Contains("(12 days left)", emails[1].TextBody);
    }

    [Fact]
    public async Task Reminders_count_from_the_moment_the_invitation_really_went_out()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3]);
        var participant = await world.ParticipantAsync("P-late");
        // The dispatcher is down on 1 March: the invitation leaves on Wednesday 3 March instead.
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        Assert.Equal([MessageKind.Invitation], (await world.MessagesAsync()).Select(m => m.Kind));
        world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, 3, 9));
        await world.Jobs.TickAsync();
        Assert.Single(ReceivedBy(participant));
        var reminder = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Reminder);
        // Three days after 3 March is Saturday 6 March: the next sending day, Monday 8 March (not 4 March).
        Assert.Equal(StudyBuilder.Warsaw(2027, 3, 8, 9).UtcDateTime, reminder.DueAt);
        world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, 4, 9));
        await world.Jobs.TickAsync();
        Assert.Single(ReceivedBy(participant));
    }

    [Fact]
    public async Task A_participant_who_opened_the_link_but_did_not_complete_is_still_reminded()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3]);
        var participant = await world.ParticipantAsync("P-opened");
        await world.Jobs.TickAsync();
        await SetAsync(world, "UPDATE invitations SET status = 'opened', first_opened_at = now() WHERE participant_id = {0}", participant.Id);
        world.Clock.Advance(TimeSpan.FromDays(3));
        await world.Jobs.TickAsync();
        Assert.Equal(["Follow-up post: your questionnaire", "Reminder 1: Follow-up post"], ReceivedBy(participant).Select(m => m.Subject));
    }

    [Theory]
    [InlineData("UPDATE invitations SET status = 'completed', completed_at = now() WHERE participant_id = {0}", "invitation_completed")]
    [InlineData("UPDATE participants SET status = 'withdrawn', withdrawn_at = now() WHERE id = {0}", "withdrawn")]
    [InlineData("UPDATE participants SET opted_out_at = now() WHERE id = {0}", "opted_out")]
    [InlineData("UPDATE invitations SET reminders_stopped_at = now() WHERE participant_id = {0}", "reminders_stopped")]
    public async Task Reminders_stop_at_completion_withdrawal_opt_out_and_unsubscribe(string change, string reason)
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3]);
        var participant = await world.ParticipantAsync("P-stop" + reason);
        await world.Jobs.TickAsync();
        await SetAsync(world, change, participant.Id);
        world.Clock.Advance(TimeSpan.FromDays(3));
        await world.Jobs.TickAsync();
        Assert.Single(ReceivedBy(participant));
        var reminder = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Reminder);
        Assert.Equal(MessageStatus.Cancelled, reminder.Status);
        Assert.Equal(reason, reminder.CancelReason);
    }

    [Fact]
    public async Task The_dispatcher_cancels_at_claim_time_what_was_stopped_after_planning()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3]);
        var participant = await world.ParticipantAsync("P-claim");
        await world.Jobs.TickAsync();
        // Completed, but the plan tick has not run since: the dispatcher's own check stops the reminder.
        await SetAsync(world, "UPDATE invitations SET status = 'completed' WHERE participant_id = {0}", participant.Id);
        world.Clock.Advance(TimeSpan.FromDays(3));
        await world.Jobs.Dispatcher().DispatchBatchAsync(CancellationToken.None);
        Assert.Single(ReceivedBy(participant));
        Assert.Equal("invitation_completed", Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Reminder).CancelReason);
    }

    [Fact]
    public async Task The_window_closing_expires_the_invitation_and_no_reminder_is_planned_after_it()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3, 10, 20]);
        var participant = await world.ParticipantAsync("P-close");
        await world.Jobs.TickAsync();
        Assert.Equal([0, 1, 2], (await world.MessagesAsync()).Select(m => m.Step).Order());
        world.Clock.Advance(TimeSpan.FromDays(3));
        await world.Jobs.TickAsync();
        world.Clock.Advance(TimeSpan.FromDays(7));
        await world.Jobs.TickAsync();
        // 15 March 23:59 in Warsaw: the last minute of the window.
        world.Clock.Advance(TimeSpan.FromDays(4) + TimeSpan.FromHours(14) + TimeSpan.FromMinutes(59));
        await world.Jobs.Expire.RunAsync(CancellationToken.None);
        Assert.Equal(InvitationStatus.Sent, (await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == participant.Id)).Status);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await world.Jobs.Expire.RunAsync(CancellationToken.None) >= 1);
        world.Clock.Advance(TimeSpan.FromDays(10));
        await world.Jobs.TickAsync();
        var invitation = await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == participant.Id);
        Assert.Equal(InvitationStatus.Expired, invitation.Status);
        Assert.Equal(3, ReceivedBy(participant).Count);
        Assert.Equal(0, await world.Jobs.Expire.RunAsync(CancellationToken.None));
    }
}
