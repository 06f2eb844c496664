using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Mail;

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
}
