using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Scheduling;

/// <summary>
/// Emails due beyond the queue horizon get no outbox row at planning, and a wave whose first
/// email is beyond it no invitation row either; the plan job comes back for them on its own,
/// with nothing marked stale, and they go out on time.
/// </summary>
public sealed class QueueHorizonTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private List<MimeMessage> ReceivedBy(Participant participant) =>
        sink.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email)).ToList();

    [Fact]
    public async Task A_follow_up_16_months_ahead_is_planned_and_queued_when_it_comes_within_the_horizon()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3]);
        var followUp = await new StudyBuilder(world.Db).WaveAsync(world.Study, "month16", "course_end", 16, unit: OffsetUnit.Months,
            reminders: [3], position: 1);
        var participant = await world.ParticipantAsync("P-horizon");
        await world.Jobs.TickAsync();

        Assert.Equal([world.Wave.Id], await world.Db.Invitations.AsNoTracking().Where(i => i.ParticipantId == participant.Id).Select(i => i.WaveId).ToListAsync());
        // The first wave's invitation and reminder only.
        Assert.Equal([(MessageKind.Invitation, 0), (MessageKind.Reminder, 1)], (await world.MessagesAsync()).Select(m => (m.Kind, m.Step)));
        // Due Saturday 1 July 2028, sent Monday 3 July 09:00 Warsaw (CEST); planned 35 days before.
        var followUpSend = StudyBuilder.Warsaw(2028, 7, 3, 9).UtcDateTime;
        Assert.Equal(followUpSend - PlanJob.DefaultQueueHorizon.ToTimeSpan(), await PlanAgainAtAsync(world, participant));

        var horizon = PlanJob.DefaultQueueHorizon.ToTimeSpan();
        world.Clock.SetUtcNow(followUpSend - horizon - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await world.Jobs.Plan.RunAsync(CancellationToken.None));
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await world.Jobs.Plan.RunAsync(CancellationToken.None));
        var later = await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == participant.Id && i.WaveId == followUp.Id);
        Assert.Equal(InvitationStatus.Planned, later.Status);
        Assert.Equal(new DateOnly(2028, 7, 1), later.DueDate);
        // The invitation is queued; its reminder waits for the invitation to go out.
        Assert.Equal([(MessageKind.Invitation, 0, followUpSend)],
            (await world.MessagesAsync()).Where(m => m.InvitationId == later.Id).Select(m => (m.Kind, m.Step, m.DueAt)));
        var reminderSend = followUpSend.AddDays(3);
        Assert.Null(await PlanAgainAtAsync(world, participant));
        Assert.Equal(0, await world.Jobs.Plan.RunAsync(CancellationToken.None));

        world.Clock.SetUtcNow(followUpSend);
        await world.Jobs.TickAsync();
        Assert.Equal([(MessageKind.Invitation, 0, followUpSend), (MessageKind.Reminder, 1, reminderSend)],
            (await world.MessagesAsync()).Where(m => m.InvitationId == later.Id).OrderBy(m => m.DueAt).Select(m => (m.Kind, m.Step, m.DueAt)));
        Assert.Null(await PlanAgainAtAsync(world, participant));
        world.Clock.SetUtcNow(reminderSend);
        await world.Jobs.TickAsync();
        Assert.Equal(["Follow-up month16: your questionnaire", "Reminder 1: Follow-up month16"],
            ReceivedBy(participant).Where(m => m.Subject!.Contains("month16", StringComparison.Ordinal)).Select(m => m.Subject));
    }

    [Fact]
    public async Task A_protocol_change_moves_the_moment_the_plan_job_comes_back()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: []);
        await world.Db.Database.ExecuteSqlRawAsync("UPDATE waves SET offset_value = 100 WHERE id = {0}", world.Wave.Id);
        var participant = await world.ParticipantAsync("P-horizon-move");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        Assert.Empty(await world.MessagesAsync());
        var first = await PlanAgainAtAsync(world, participant);

        await world.Db.Database.ExecuteSqlRawAsync("UPDATE waves SET offset_value = 20 WHERE id = {0}", world.Wave.Id);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        Assert.Null(await PlanAgainAtAsync(world, participant));
        Assert.Equal([StudyBuilder.Warsaw(2027, 3, 22, 9).UtcDateTime], (await world.MessagesAsync()).Select(m => m.DueAt));
        Assert.Equal(StudyBuilder.Warsaw(2027, 6, 9, 9).UtcDateTime - PlanJob.DefaultQueueHorizon.ToTimeSpan(), first);
    }

    private static Task<DateTime?> PlanAgainAtAsync(MailWorld world, Participant participant) =>
        world.Db.Participants.AsNoTracking().Where(p => p.Id == participant.Id).Select(p => p.PlanAgainAt).SingleAsync();
}
