using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews.Booking;

/// <summary>
/// Booking emails pass the outbox's gate (<see cref="MailGate"/>): the study's sending hours, the
/// daily cap per participant and the relay's quota shared by all nodes.
/// </summary>
public sealed class BookingMailGateTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>, IAsyncLifetime
{
    /// <summary>Each test's clock starts on the same Sunday: the relay's pacing and quota log of the test before are forgotten.</summary>
    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        var relay = $"smtp:127.0.0.1:{sink.Port}";
        await db.Database.ExecuteSqlAsync($"DELETE FROM relay_permits WHERE relay = {relay}");
        await db.Database.ExecuteSqlAsync($"DELETE FROM mail_relays WHERE name = {relay}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_booking_invitation_outside_the_sending_hours_is_held_and_goes_out_once_they_begin()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-gate-1");
        await using var _ = world;
        // Sunday 09:00 in Warsaw; the study sends from 10:00.
        await world.Db.Studies.Where(s => s.Id == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SendHoursStart, new TimeOnly(10, 0)));
        await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 30));
        var job = BookingWorld.Job(world, sink);

        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        Assert.False(await world.Db.BookingLinks.AnyAsync(l => l.InterviewTaskId == task.Id));
        world.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == "p-bk-gate-1@example.org"));
    }

    [Fact]
    public async Task A_booking_confirmation_over_the_daily_cap_waits_for_the_next_day()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-gate-2");
        await using var _ = world;
        await world.Db.Studies.Where(s => s.Id == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.MaxEmailsPerParticipantPerDay, 1));
        var slot = await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 30));
        var job = BookingWorld.Job(world, sink);
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(1, await world.Db.DirectEmails.CountAsync(d => d.ParticipantId == task.ParticipantId));
        await world.Db.InterviewSlots.Where(s => s.Id == slot.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.BookedAt, DateTime.UtcNow));

        // The invitation was today's one email: the confirmation waits for Monday 09:00 (the study's send time).
        world.Clock.Advance(TimeSpan.FromHours(10));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        world.Clock.Advance(TimeSpan.FromHours(14));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(2, sink.Messages().Count(m => m.To.Mailboxes.Any(a => a.Address == "p-bk-gate-2@example.org")));
    }

    [Fact]
    public async Task A_booking_email_takes_its_permit_from_the_same_relay_quota_as_the_outbox()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-gate-3");
        await using var _ = world;
        var mail = new MailOptions { RatePerMinute = 0, RatePerDay = 1 };
        var job = BookingWorld.Job(world, sink, mail);
        var relay = $"smtp:127.0.0.1:{sink.Port}";
        await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 30));

        // The outbox took the day's one permit: the booking invitation waits.
        Assert.Equal(1, await OutboxGrantAsync(world, relay, mail));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        Assert.False(await world.Db.BookingLinks.AnyAsync(l => l.InterviewTaskId == task.Id));

        // A day later the invitation takes the permit, and the outbox gets none.
        world.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await OutboxGrantAsync(world, relay, mail));
    }

    /// <summary>What the dispatcher's claim asks of the relay quota for one email, in a transaction of its own.</summary>
    private static async Task<int> OutboxGrantAsync(InterviewWorld world, string relay, MailOptions mail)
    {
        await using var connection = await world.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var (granted, _) = await MailGate.QuotaAsync(connection, transaction, relay, 1, mail, world.Clock.GetUtcNow().UtcDateTime);
        await transaction.CommitAsync();
        return granted;
    }
}
