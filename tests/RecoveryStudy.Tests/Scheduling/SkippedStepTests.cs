using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Scheduling;

/// <summary>
/// Reminder steps keep their identity: after an outage over two reminder days, only the latest
/// due reminder goes, and the one passed over stays on record as "skipped" with why, under its
/// own step number (the console then shows reminder 1 skipped before reminder 2 sent, never a gap).
/// </summary>
public sealed class SkippedStepTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private List<MimeMessage> ReceivedBy(Participant participant) =>
        sink.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email)).ToList();

    [Fact]
    public async Task After_downtime_over_two_reminder_steps_one_email_goes_and_the_skipped_step_keeps_its_number_and_reason()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3, 7, 11]);
        var participant = await world.ParticipantAsync("P-down");
        await world.Jobs.TickAsync();
        Assert.Single(ReceivedBy(participant));
        // All three reminders are queued from the invitation sent on Monday 1 March.
        Assert.Equal([1, 2, 3], (await world.MessagesAsync()).Where(m => m.Kind == MessageKind.Reminder).Select(m => m.Step));

        // Nothing runs from Monday until Wednesday 10 March, 10:00: reminders 1 (4 March) and 2 (8 March) both fell due meanwhile.
        world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, 10, 10));
        await world.Jobs.TickAsync();
        world.Clock.Advance(TimeSpan.FromHours(3));
        await world.Jobs.TickAsync();

        Assert.Equal(["Follow-up post: your questionnaire", "Reminder 2: Follow-up post"], ReceivedBy(participant).Select(m => m.Subject));
        var reminders = (await world.MessagesAsync()).Where(m => m.Kind == MessageKind.Reminder).OrderBy(m => m.Step).ToList();
        Assert.Equal([(1, MessageStatus.Skipped), (2, MessageStatus.Sent), (3, MessageStatus.Queued)], reminders.Select(m => (m.Step, m.Status)));
        Assert.Null(reminders[0].SentAt);
        Assert.Contains("reminder 2 was due too", reminders[0].CancelReason);

        // The next step goes on its own day under its own number; the skipped one is never sent later.
        world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, 12, 10));
        await world.Jobs.TickAsync();
        Assert.Equal(3, ReceivedBy(participant).Count);
        Assert.Equal([(1, MessageStatus.Skipped), (2, MessageStatus.Sent), (3, MessageStatus.Sent)],
            (await world.MessagesAsync()).Where(m => m.Kind == MessageKind.Reminder).OrderBy(m => m.Step).Select(m => (m.Step, m.Status)));
    }
}
