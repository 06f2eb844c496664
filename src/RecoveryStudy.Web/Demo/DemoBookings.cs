using Microsoft.EntityFrameworkCore;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Interviews.Booking;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Demo;

/// <summary>
/// The FACT programme demo's booking wave in use: in the one team whose 24-month professional interview
/// window is open, every task gets an interviewer and times offered in the coming days; the first
/// participant booked one, the second booked one and then changed to another, the third booked and then
/// cancelled, the fourth has not answered yet (its booking invitation goes out when the host's
/// interview-bookings job runs). Booked times are confirmed already. The open tasks are written as the plan
/// job would write them, so the bookings have something to belong to; the plan job later changes nothing.
/// Runs again safely: a task that has times offered is left alone.
/// </summary>
internal sealed class DemoBookings(StudyDbContext db, TimeProvider clock)
{
    public const string Wave = "prof_interview_24m";

    public async Task<int> WriteAsync(Study study, DemoCohort cohort, IReadOnlyList<int> interviewers, CancellationToken ct)
    {
        var wave = await db.Waves.SingleOrDefaultAsync(w => w.StudyId == study.Id && w.Code == Wave && w.InterviewBooking, ct);
        if (wave is null || !cohort.Anchors.TryGetValue(wave.Anchor, out var anchor))
        {
            return 0;
        }
        var zone = DateTimeZoneProviders.Tzdb[study.TimeZone];
        var now = clock.GetUtcNow().UtcDateTime;
        var today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date;
        var due = DemoHistory.DueDate(anchor, wave);
        var (opensOn, lastDay) = (due.AddDays(wave.WindowOpensDays), due.AddDays(wave.WindowClosesDays));
        var closesAt = LocalDate.FromDateOnly(lastDay).PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        if (LocalDate.FromDateOnly(opensOn) > today || closesAt <= now)
        {
            return 0;
        }
        var people = await db.Participants.Where(p => p.StudyId == study.Id && p.Cohort!.Code == cohort.Code && wave.Roles.Contains(p.Role))
            .OrderBy(p => p.Code).ToListAsync(ct);
        var written = 0;
        foreach (var (participant, i) in people.Select((p, i) => (p, i)))
        {
            var task = await db.InterviewTasks.SingleOrDefaultAsync(t => t.ParticipantId == participant.Id && t.WaveId == wave.Id, ct);
            if (task is null)
            {
                task = new InterviewTask
                {
                    StudyId = study.Id, ParticipantId = participant.Id, WaveId = wave.Id, DueDate = due, OpensOn = opensOn, ClosesOn = lastDay,
                    ClosesAt = closesAt, Status = InterviewStatus.Open, CreatedAt = now, UpdatedAt = now,
                };
                db.InterviewTasks.Add(task);
            }
            else if (task.Status != InterviewStatus.Open || await db.InterviewSlots.AnyAsync(s => s.InterviewTaskId == task.Id, ct))
            {
                continue;
            }
            task.InterviewerId ??= interviewers[i % interviewers.Count];
            await db.SaveChangesAsync(ct);
            await OfferAsync(task, today, zone, i, now, ct);
            written++;
        }
        return written;
    }

    /// <summary>Three times on a day of its own for each task (so no interviewer is double-booked), then what the participant did with them.</summary>
    private async Task OfferAsync(InterviewTask task, LocalDate today, DateTimeZone zone, int i, DateTime now, CancellationToken ct)
    {
        var day = today.PlusDays(3 + i);
        var slots = new[] { new LocalTime(9, 0), new LocalTime(11, 0), new LocalTime(14, 0) }.Select((time, j) =>
        {
            var start = (day + time).InZoneLeniently(zone).ToDateTimeUtc();
            return new InterviewSlot
            {
                InterviewTaskId = task.Id, InterviewerId = task.InterviewerId!.Value, StartsAt = start, EndsAt = start.AddMinutes(60),
                Mode = InterviewMode.All[(i + j) % InterviewMode.All.Length], CreatedAt = now.AddDays(-2),
            };
        }).ToList();
        db.InterviewSlots.AddRange(slots);
        await db.SaveChangesAsync(ct);
        if (i % 4 == 3)
        {
            return; // Not answered yet: the invitation to book goes out from the running host.
        }
        db.BookingLinks.Add(new BookingLink { Hash = LinkTokens.Create().Hash, InterviewTaskId = task.Id, CreatedAt = now.AddDays(-2) });
        Booked(task, slots[0]);
        if (i % 4 == 1)
        {
            slots[0].BookedAt = slots[0].ConfirmationSentAt = null;
            Booked(task, slots[2]);
        }
        else if (i % 4 == 2)
        {
            slots[0].BookedAt = slots[0].ConfirmationSentAt = null;
            AuditLog.Add(db, clock, Actor.Participant, "interview.cancel_booking", task.StudyId, "interview_task", task.Id, new { });
        }
        await db.SaveChangesAsync(ct);
    }

    private void Booked(InterviewTask task, InterviewSlot slot)
    {
        slot.BookedAt = slot.ConfirmationSentAt = clock.GetUtcNow().UtcDateTime.AddDays(-1);
        AuditLog.Add(db, clock, Actor.Participant, "interview.book", task.StudyId, "interview_task", task.Id, new { slot = slot.Id });
    }
}
