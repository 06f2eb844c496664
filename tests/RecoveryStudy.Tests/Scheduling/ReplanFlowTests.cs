using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Scheduling;

/// <summary>Protocol and anchor changes, the daily cap across waves, pause and resume: end to end with a moved clock.</summary>
public sealed class ReplanFlowTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private List<MimeMessage> ReceivedBy(Participant participant) =>
        sink.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email)).ToList();

    private static DateTime Warsaw(int month, int day, int hour = 9) => StudyBuilder.Warsaw(2027, month, day, hour).UtcDateTime;

    [Fact]
    public async Task A_protocol_change_before_sending_replans_the_pending_messages()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3], start: StudyBuilder.Warsaw(2027, 2, 1, 10));
        var participant = await world.ParticipantAsync("P-before");
        await world.Jobs.TickAsync();
        Assert.Equal([Warsaw(3, 1)], (await world.MessagesAsync()).Select(m => m.DueAt));

        // A new protocol version: the wave is due a week later, reminders after 2 days.
        await world.Db.Database.ExecuteSqlRawAsync("UPDATE waves SET offset_value = 7, reminder_days = ARRAY[2] WHERE id = {0}", world.Wave.Id);
        await world.Jobs.TickAsync();
        var messages = await world.MessagesAsync();
        Assert.Equal([Warsaw(3, 8)], messages.Select(m => m.DueAt));
        Assert.All(messages, m => Assert.Equal(MessageStatus.Queued, m.Status));
        Assert.Equal(new DateOnly(2027, 3, 8), (await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == participant.Id)).DueDate);

        world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, 1, 9));
        await world.Jobs.TickAsync();
        Assert.Empty(ReceivedBy(participant));
        world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, 8, 9));
        await world.Jobs.TickAsync();
        Assert.Single(ReceivedBy(participant));
        // Sent: its reminder is queued 2 days after, under the new policy.
        Assert.Equal([Warsaw(3, 8), Warsaw(3, 10)], (await world.MessagesAsync()).Select(m => m.DueAt));
    }

    [Fact]
    public async Task A_protocol_change_after_sending_never_sends_again_and_moves_only_what_is_pending()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3, 7]);
        var participant = await world.ParticipantAsync("P-after");
        await world.Jobs.TickAsync();
        Assert.Single(ReceivedBy(participant));

        await world.Db.Database.ExecuteSqlRawAsync("UPDATE waves SET offset_value = 7, reminder_days = ARRAY[2,9] WHERE id = {0}", world.Wave.Id);
        await world.Jobs.TickAsync();
        var messages = await world.MessagesAsync();
        Assert.Equal(MessageStatus.Sent, messages.Single(m => m.Kind == MessageKind.Invitation).Status);
        // Reminders count from the invitation actually sent on 1 March.
        Assert.Equal([Warsaw(3, 3), Warsaw(3, 10)], messages.Where(m => m.Kind == MessageKind.Reminder).OrderBy(m => m.Step).Select(m => m.DueAt));
        // The window announced in the sent invitation stays.
        Assert.Equal(new DateOnly(2027, 3, 1), (await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == participant.Id)).DueDate);

        foreach (var day in new[] { 3, 8, 10 })
        {
            world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, day, 9));
            await world.Jobs.TickAsync();
        }
        Assert.Equal(["Follow-up post: your questionnaire", "Reminder 1: Follow-up post", "Reminder 2: Follow-up post"], ReceivedBy(participant).Select(m => m.Subject));
    }

    [Fact]
    public async Task An_anchor_change_replans_the_participants_queued_messages()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], start: StudyBuilder.Warsaw(2027, 2, 1, 10));
        var participant = await world.ParticipantAsync("P-anchor");
        await world.Jobs.TickAsync();
        await world.Db.Database.ExecuteSqlRawAsync("UPDATE participant_anchors SET date = '2027-03-15' WHERE participant_id = {0}", participant.Id);
        await world.Jobs.TickAsync();
        Assert.Equal([Warsaw(3, 15)], (await world.MessagesAsync()).Select(m => m.DueAt));
    }

    [Fact]
    public async Task Two_overlapping_waves_send_at_most_one_email_a_day()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [1]);
        await new StudyBuilder(world.Db).WaveAsync(world.Study, "other", "course_end", 0, reminders: [1], position: 1);
        var participant = await world.ParticipantAsync("P-cap");
        var perDay = new List<int>();
        for (var day = 1; day <= 5; day++)
        {
            world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, day, 9));
            var before = ReceivedBy(participant).Count;
            await world.Jobs.TickAsync();
            world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, day, 15));
            await world.Jobs.TickAsync();
            perDay.Add(ReceivedBy(participant).Count - before);
        }
        Assert.Equal([1, 1, 1, 1, 0], perDay);
    }

    [Fact]
    public async Task Pause_stops_sending_and_resume_sends_one_reminder_not_a_burst()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3, 7]);
        var participant = await world.ParticipantAsync("P-pause");
        await world.Jobs.TickAsync();
        await world.Db.Database.ExecuteSqlRawAsync("UPDATE studies SET status = 'paused', paused_at = now() WHERE id = {0}", world.Study.Id);
        foreach (var day in new[] { 4, 8, 10 })
        {
            world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, day, 10));
            await world.Jobs.TickAsync();
        }
        Assert.Single(ReceivedBy(participant));

        await world.Db.Database.ExecuteSqlRawAsync("UPDATE studies SET status = 'active', paused_at = NULL WHERE id = {0}", world.Study.Id);
        await world.Jobs.TickAsync();
        world.Clock.Advance(TimeSpan.FromHours(2));
        await world.Jobs.TickAsync();
        Assert.Equal(["Follow-up post: your questionnaire", "Reminder 2: Follow-up post"], ReceivedBy(participant).Select(m => m.Subject));
        // Reminder 1 keeps its number: recorded as skipped, with why, never sent.
        var skipped = Assert.Single(await world.MessagesAsync(), m => m.Step == 1);
        Assert.Equal((MessageStatus.Skipped, (DateTime?)null), (skipped.Status, skipped.SentAt));
        Assert.Contains("reminder 2 was due too", skipped.CancelReason);
    }

    [Fact]
    public async Task A_paused_wave_sends_nothing_while_another_wave_goes_on()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: []);
        var participant = await world.ParticipantAsync("P-wavepause");
        await world.Db.Database.ExecuteSqlRawAsync("UPDATE waves SET status = 'paused' WHERE id = {0}", world.Wave.Id);
        await world.Jobs.TickAsync();
        Assert.Empty(ReceivedBy(participant));
        Assert.Equal(MessageStatus.Queued, Assert.Single(await world.MessagesAsync()).Status);
        await world.Db.Database.ExecuteSqlRawAsync("UPDATE waves SET status = 'active' WHERE id = {0}", world.Wave.Id);
        await world.Jobs.TickAsync();
        Assert.Single(ReceivedBy(participant));
    }
}
