using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Interviews.Booking;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// An interview wave "int1" (booking on, flag "selected" required) for the translated-pages test: an open
/// task of P-0002 assigned to the interviewer with one time offered, and a done task of P-0003 whose time the
/// participant booked, so that every part of the interview pages (list, task, times, files) shows.
/// </summary>
internal static class TranslatedInterviewTasks
{
    public static async Task<(long Open, long Done)> CreateAsync(StudyDbContext db, ConsoleWorld world, int interviewerId)
    {
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        var wave = new Wave
        {
            StudyId = world.Study.Id, Code = "int1", Position = 3, Anchor = "course_start", WindowOpensDays = 0, WindowClosesDays = 30,
            Roles = ["trainee"], Kind = WaveKind.Interview, InterviewBooking = true, RequiresFlag = "selected",
        };
        db.Waves.Add(wave);
        await db.SaveChangesAsync();
        InterviewTask Task(string code, bool done) => new()
        {
            StudyId = world.Study.Id, ParticipantId = world.Participants[code].Id, WaveId = wave.Id, DueDate = today,
            OpensOn = today.AddDays(-2), ClosesOn = today.AddDays(20), ClosesAt = now.AddDays(21), InterviewerId = interviewerId,
            Status = done ? InterviewStatus.Done : InterviewStatus.Open, CompletedOn = done ? today.AddDays(-1) : null,
            DurationMinutes = done ? 45 : null, Mode = done ? InterviewMode.Phone : null, CreatedAt = now, UpdatedAt = now,
        };
        var open = Task("P-0002", done: false);
        var held = Task("P-0003", done: true);
        db.InterviewTasks.AddRange(open, held);
        await db.SaveChangesAsync();
        db.InterviewSlots.AddRange(
            new InterviewSlot { InterviewTaskId = open.Id, InterviewerId = interviewerId, StartsAt = now.Date.AddDays(3).AddHours(9), EndsAt = now.Date.AddDays(3).AddHours(10), Mode = InterviewMode.Video, CreatedAt = now },
            new InterviewSlot { InterviewTaskId = held.Id, InterviewerId = interviewerId, StartsAt = now.Date.AddDays(-1).AddHours(9), EndsAt = now.Date.AddDays(-1).AddHours(10), Mode = InterviewMode.InPerson, CreatedAt = now, BookedAt = now.AddDays(-2) });
        await db.SaveChangesAsync();
        return (open.Id, held.Id);
    }
}
