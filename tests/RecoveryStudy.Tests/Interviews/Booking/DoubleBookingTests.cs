using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews.Booking;

/// <summary>The database holds one booking per task, whatever the application does.</summary>
public sealed class DoubleBookingTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_second_booked_time_for_the_same_task_is_refused_by_the_database()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-db-1");
        await using var _ = world;
        await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 0), booked: true);
        var second = await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 12, 0));

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            world.Db.InterviewSlots.Where(s => s.Id == second.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.BookedAt, DateTime.UtcNow)));

        Assert.Equal((PostgresErrorCodes.UniqueViolation, "ux_interview_slot_booked_task"), (refused.SqlState, refused.ConstraintName));
        Assert.Equal(1, await world.Db.InterviewSlots.CountAsync(s => s.InterviewTaskId == task.Id && s.BookedAt != null));
    }
}
