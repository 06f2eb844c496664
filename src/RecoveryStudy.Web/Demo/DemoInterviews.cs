using Microsoft.EntityFrameworkCore;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Web.Demo;

/// <summary>
/// The past interviews of the FACT programme's demo teams: every interview whose window has closed
/// was held (date inside the window, length, mode and interviewer) or missed: every fourth task of
/// a team is missed. Windows still open are left to the plan job. The interviewers are made-up accounts that
/// cannot sign in (no password, disabled). Runs again safely: an existing task is left alone.
/// </summary>
internal sealed class DemoInterviews(StudyDbContext db, DateTime now)
{
    public static readonly string[] Interviewers = ["interviewer.anne@example.org", "interviewer.jens@example.org"];

    public async Task<int> WriteAsync(Study study, DemoCohort cohort, CancellationToken ct)
    {
        var interviewers = await InterviewersAsync(ct);
        var zone = DateTimeZoneProviders.Tzdb[study.TimeZone];
        var waves = await db.Waves.Where(w => w.StudyId == study.Id && w.Kind == WaveKind.Interview).OrderBy(w => w.Position).ToListAsync(ct);
        var people = await db.Participants.Where(p => p.StudyId == study.Id && p.Cohort!.Code == cohort.Code).OrderBy(p => p.Code).ToListAsync(ct);
        var existing = (await db.InterviewTasks.Where(t => t.StudyId == study.Id).Select(t => new { t.ParticipantId, t.WaveId }).ToListAsync(ct))
            .Select(t => (t.ParticipantId, t.WaveId)).ToHashSet();
        var written = 0;
        foreach (var participant in people)
        {
            var random = new Random(participant.Code.Aggregate(23, (h, c) => h * 31 + c));
            foreach (var wave in waves.Where(w => w.Roles.Contains(participant.Role) && cohort.Anchors.ContainsKey(w.Anchor)
                && (w.RequiresFlag is null || participant.Flags.Contains(w.RequiresFlag))))
            {
                var due = DemoHistory.DueDate(cohort.Anchors[wave.Anchor], wave);
                var (opensOn, lastDay) = (due.AddDays(wave.WindowOpensDays), due.AddDays(wave.WindowClosesDays));
                var closesAt = LocalDate.FromDateOnly(lastDay).PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
                if (closesAt > now || existing.Contains((participant.Id, wave.Id)))
                {
                    continue;
                }
                var held = written % 4 != 3;
                db.InterviewTasks.Add(new InterviewTask
                {
                    StudyId = study.Id, ParticipantId = participant.Id, WaveId = wave.Id, DueDate = due, OpensOn = opensOn, ClosesOn = lastDay,
                    ClosesAt = closesAt, Status = held ? InterviewStatus.Done : InterviewStatus.Missed,
                    InterviewerId = interviewers[written % interviewers.Count],
                    CompletedOn = held ? opensOn.AddDays(random.Next(lastDay.DayNumber - opensOn.DayNumber + 1)) : null,
                    DurationMinutes = held ? 30 + 5 * random.Next(10) : null,
                    Mode = held ? InterviewMode.All[random.Next(InterviewMode.All.Length)] : null,
                    CreatedAt = DateTime.SpecifyKind(opensOn.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc),
                    UpdatedAt = closesAt,
                });
                written++;
            }
        }
        await db.SaveChangesAsync(ct);
        return written;
    }

    /// <summary>The made-up interviewers' ids, creating their accounts the first time.</summary>
    public async Task<List<int>> InterviewersAsync(CancellationToken ct)
    {
        foreach (var email in Interviewers)
        {
            if (!await db.StaffUsers.AnyAsync(u => u.Email == email, ct))
            {
                db.StaffUsers.Add(new StaffUser { Email = email, Role = StaffRole.Researcher, PasswordHash = "", Disabled = true, CreatedAt = now });
            }
        }
        await db.SaveChangesAsync(ct);
        return await db.StaffUsers.Where(u => Interviewers.Contains(u.Email)).OrderBy(u => u.Email).Select(u => u.Id).ToListAsync(ct);
    }
}
