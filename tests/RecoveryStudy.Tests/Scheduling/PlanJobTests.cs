using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Scheduling;

/// <summary>The plan job's chunk loops: many chunks, side by side, each participant planned once.</summary>
public sealed class PlanJobTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Parallel_chunks_plan_every_participant_exactly_once_and_a_second_run_changes_nothing()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3, 7]);
        var participants = new List<int>();
        for (var i = 0; i < 23; i++)
        {
            participants.Add((await world.ParticipantAsync("P-chunk" + i)).Id);
        }
        var job = new PlanJob(world.DataSource, world.Clock, NullLogger<PlanJob>.Instance) { ChunkSize = 3 };

        Assert.True(await job.RunAsync(CancellationToken.None) >= participants.Count);

        Assert.Equal(0, await world.Db.Participants.CountAsync(p => participants.Contains(p.Id) && p.ScheduleStale));
        var invitations = await world.Db.Invitations.AsNoTracking().Where(i => participants.Contains(i.ParticipantId)).ToListAsync();
        Assert.Equal(participants.Order(), invitations.Select(i => i.ParticipantId).Order());
        var messages = await world.MessagesAsync();
        // The invitation on 1 March for each participant; its reminders are queued once it went out.
        Assert.Equal(participants.Count, messages.Count);
        Assert.All(invitations, i => Assert.Equal([(MessageKind.Invitation, 0)],
            messages.Where(m => m.InvitationId == i.Id).Select(m => (m.Kind, m.Step))));
        Assert.All(messages, m =>
        {
            Assert.Equal(MessageStatus.Queued, m.Status);
            Assert.Equal(m.DueAt, m.NextAttemptAt);
            Assert.Equal(0, m.Attempts);
        });

        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        Assert.Equal(messages.Select(m => (m.Id, m.DueAt, m.Status)), (await world.MessagesAsync()).Select(m => (m.Id, m.DueAt, m.Status)));
    }

    [Fact]
    public async Task An_invitation_that_went_out_has_its_reminders_queued_by_the_next_tick_once_without_marking_the_participant()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3, 7]);
        var participant = await world.ParticipantAsync("P-sent-probe");
        var job = world.Jobs.Plan;
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        var invitation = await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == participant.Id);
        Assert.Equal([MessageKind.Invitation], (await world.MessagesAsync()).Select(m => m.Kind));

        // The invitation goes out (as the dispatcher records it): nothing marks the participant any more.
        var sentAt = world.Clock.GetUtcNow().UtcDateTime;
        await world.Db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE messages SET status = 'sent', sent_at = {sentAt}, attempts = 1 WHERE invitation_id = {invitation.Id}");
        await world.Db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE invitations SET status = 'sent', sent_at = {sentAt} WHERE id = {invitation.Id}");
        Assert.False(await world.Db.Participants.AsNoTracking().Where(p => p.Id == participant.Id).Select(p => p.ScheduleStale).SingleAsync());

        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        var queued = (await world.MessagesAsync()).Where(m => m.Status == MessageStatus.Queued).ToList();
        Assert.Equal([(MessageKind.Reminder, 1), (MessageKind.Reminder, 2)], queued.Where(m => m.Kind == MessageKind.Reminder).Select(m => (m.Kind, m.Step)));
        Assert.All(queued, m => Assert.True(m.DueAt > sentAt));
        Assert.Equal(world.Clock.GetUtcNow().UtcDateTime,
            await world.Db.Invitations.AsNoTracking().Where(i => i.Id == invitation.Id).Select(i => i.RemindersPlannedAt).SingleAsync());

        // Followed up once: the probe finds nothing more, and nothing changes.
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        Assert.Equal(queued.Select(m => (m.Id, m.DueAt)), (await world.MessagesAsync()).Where(m => m.Status == MessageStatus.Queued).Select(m => (m.Id, m.DueAt)));
    }
}
