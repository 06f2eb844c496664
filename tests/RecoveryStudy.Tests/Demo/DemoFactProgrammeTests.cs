using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Reports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Survey;
using RecoveryStudy.Web.Demo;
using RecoveryStudy.Web.Pages;

namespace RecoveryStudy.Tests.Demo;

/// <summary>
/// The FACT programme in the demo: two teams with peer workers, professionals and patients, interviews
/// held (date in the window, length, mode, interviewer) and missed, questionnaires answered, so that the
/// per-role report has real figures; seeded on 23 November 2026 they are the ones docs/protocol.md gives.
/// </summary>
public sealed class DemoFactProgrammeTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_demo_loads_two_programme_teams_whose_interviews_and_questionnaires_give_the_documented_per_role_figures()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        List<string> report;
        await using (var db = database.CreateContext())
        {
            report = await new DemoSeeder(db, clock).SeedAsync(Seeds.Folder, CancellationToken.None);
        }
        await using var check = database.CreateContext();
        var study = await check.Studies.SingleAsync(s => s.Code == DemoCohorts.ProgrammeStudy);
        var people = await check.Participants.AsNoTracking().Where(p => p.StudyId == study.Id).ToListAsync();
        Assert.Equal(
            [("patient", 12), ("peer_worker", 4), ("professional", 8)],
            people.GroupBy(p => p.Role).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count())));
        Assert.Equal(8, people.Count(p => p.Flags.Contains("selected_for_interview")));

        var tasks = await check.InterviewTasks.AsNoTracking().Where(t => t.StudyId == study.Id).ToListAsync();
        Assert.All(tasks.Where(t => t.Status == InterviewStatus.Done), t =>
        {
            Assert.InRange(t.CompletedOn!.Value, t.OpensOn, t.ClosesOn);
            Assert.NotNull(t.DurationMinutes);
            Assert.Contains(t.Mode, InterviewMode.All);
            Assert.NotNull(t.InterviewerId);
        });
        var selected = people.Where(p => p.Flags.Contains("selected_for_interview")).Select(p => p.Id).ToHashSet();
        var patientWave = await check.Waves.SingleAsync(w => w.StudyId == study.Id && w.Code == "patient_interview_12m");
        Assert.All(tasks.Where(t => t.WaveId == patientWave.Id), t => Assert.Contains(t.ParticipantId, selected));
        var interviewers = await check.StaffUsers.AsNoTracking().Where(u => DemoInterviews.Interviewers.Contains(u.Email)).ToListAsync();
        Assert.All(interviewers, u => Assert.True(u.Disabled && u.PasswordHash.Length == 0, "a demo interviewer cannot sign in"));

        var dataSource = database.CreateDataSource();
        await using var _ = dataSource;
        var byRole = await RoleReport.ComputeAsync(dataSource, DemoCohorts.ProgrammeStudy, null, null, CancellationToken.None);
        string Figures(string role, string wave)
        {
            var r = byRole!.Single(x => x.Role == role && x.Wave == wave && x.Figures.Cohort is null).Figures;
            return $"{r.Eligible} eligible, {r.Invited} invited, {r.Completed} completed, {r.Missed} missed, {r.Expired} expired";
        }
        var figures = string.Join("\n", new[]
        {
            ("peer_worker", "peer_interview_start"), ("peer_worker", "baseline"), ("professional", "prof_interview_start"), ("professional", "prof_attitudes_start"),
            ("patient", "patient_interview_12m"), ("patient", "recovery_0m"), ("patient", "recovery_6m"),
        }.Select(x => $"{x.Item1} {x.Item2}: {Figures(x.Item1, x.Item2)}"));
        const string documented = """
            peer_worker peer_interview_start: 4 eligible, 4 invited, 4 completed, 0 missed, 0 expired
            peer_worker baseline: 4 eligible, 4 invited, 4 completed, 0 missed, 0 expired
            professional prof_interview_start: 8 eligible, 8 invited, 6 completed, 2 missed, 0 expired
            professional prof_attitudes_start: 8 eligible, 8 invited, 8 completed, 0 missed, 0 expired
            patient patient_interview_12m: 8 eligible, 4 invited, 3 completed, 1 missed, 0 expired
            patient recovery_0m: 12 eligible, 12 invited, 8 completed, 0 missed, 4 expired
            patient recovery_6m: 12 eligible, 12 invited, 8 completed, 0 missed, 4 expired
            """;
        Assert.True(figures == documented, "per-role figures of the demo:\n" + figures);
        Assert.Contains($"{DemoCohorts.ProgrammeStudy}: {tasks.Count(t => t.Status != InterviewStatus.Open)} past interview(s) written", report);
        await TheBookingWaveIsInUseAsync(check, study.Id, tasks);
        Assert.Contains($"{DemoCohorts.ProgrammeStudy}: 4 interview task(s) given times to book", report);

        // Seeding again writes no second interview.
        clock.Advance(TimeSpan.FromHours(2));
        await using (var again = database.CreateContext())
        {
            var second = await new DemoSeeder(again, clock).SeedAsync(Seeds.Folder, CancellationToken.None);
            Assert.Contains($"{DemoCohorts.ProgrammeStudy}: 0 past interview(s) written", second);
            Assert.Contains($"{DemoCohorts.ProgrammeStudy}: 0 interview task(s) given times to book", second);
        }
        Assert.Equal(tasks.Count, await check.InterviewTasks.CountAsync(t => t.StudyId == study.Id));
        Assert.Equal(12, await check.InterviewSlots.CountAsync(s => tasks.Select(t => t.Id).Contains(s.InterviewTaskId)));
    }

    /// <summary>
    /// Team Aalborg's four professionals in the booking wave (prof_interview_24m, window open): times offered to each,
    /// one booked, one booked and changed, one booked and cancelled, one not answered (no booking link yet); the booked
    /// times show in the task list and as timed events in the interviewer's calendar feed.
    /// </summary>
    private async Task TheBookingWaveIsInUseAsync(StudyDbContext check, int studyId, List<InterviewTask> tasks)
    {
        var wave = await check.Waves.AsNoTracking().SingleAsync(w => w.StudyId == studyId && w.Code == DemoBookings.Wave);
        Assert.True(wave.InterviewBooking);
        var booking = tasks.Where(t => t.WaveId == wave.Id && t.Status == InterviewStatus.Open).OrderBy(t => t.ParticipantId).ToList();
        Assert.Equal(4, booking.Count);
        var ids = booking.Select(t => t.Id).ToList();
        var slots = await check.InterviewSlots.AsNoTracking().Where(s => ids.Contains(s.InterviewTaskId)).ToListAsync();
        var audits = await check.AuditEntries.AsNoTracking().Where(a => a.StudyId == studyId && a.TargetType == "interview_task").ToListAsync();
        var links = await check.BookingLinks.AsNoTracking().Where(l => ids.Contains(l.InterviewTaskId)).Select(l => l.InterviewTaskId).ToListAsync();
        string Story(long id) => string.Join(" ", audits.Where(a => a.TargetId == id.ToString(System.Globalization.CultureInfo.InvariantCulture)).OrderBy(a => a.Id).Select(a => a.Action))
            + $" | offered {slots.Count(s => s.InterviewTaskId == id)}, booked {slots.Count(s => s.InterviewTaskId == id && s.BookedAt != null)}, link {links.Contains(id)}";
        Assert.Equal(
        [
            "interview.book | offered 3, booked 1, link True",
            "interview.book interview.book | offered 3, booked 1, link True",
            "interview.book interview.cancel_booking | offered 3, booked 0, link True",
            " | offered 3, booked 0, link False",
        ], booking.Select(t => Story(t.Id)));
        Assert.All(slots, s => Assert.InRange(DateOnly.FromDateTime(s.StartsAt), booking[0].OpensOn, booking[0].ClosesOn));
        Assert.All(slots.Where(s => s.BookedAt != null), s => Assert.NotNull(s.ConfirmationSentAt));
        var changed = slots.Where(s => s.InterviewTaskId == ids[1]).OrderBy(s => s.StartsAt).ToList();
        Assert.NotNull(changed[2].BookedAt);
        Assert.Equal(booking.Select(t => t.InterviewerId), slots.GroupBy(s => s.InterviewTaskId).OrderBy(g => ids.IndexOf(g.Key)).Select(g => (int?)g.Select(s => s.InterviewerId).Distinct().Single()));

        // What a researcher opening the demo sees: the booked times in the task list, and in the interviewer's feed as timed events.
        var researcher = await StaffSession.CreateUserAsync(check, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var list = await client.GetStringAsync(new Uri($"/studies/{studyId}/interviews", UriKind.Relative));
        var time = ZonedTime.In("Europe/Copenhagen");
        foreach (var booked in slots.Where(s => s.BookedAt != null))
        {
            Assert.Contains(time.At(booked.StartsAt), list, StringComparison.Ordinal);
            var interviewer = await check.StaffUsers.SingleAsync(u => u.Id == booked.InterviewerId);
            var (token, hash) = LinkTokens.Create();
            check.CalendarFeedTokens.Add(new CalendarFeedToken { Hash = hash, StaffUserId = interviewer.Id, CreatedAt = DateTime.UtcNow });
            var disabled = interviewer.Disabled;
            interviewer.Disabled = false;
            await check.SaveChangesAsync();
            using var anonymous = app.CreateClient();
            var feed = await anonymous.GetStringAsync(new Uri($"/calendar/{token}.ics", UriKind.Relative));
            Assert.Contains("DTSTART:" + booked.StartsAt.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture), feed, StringComparison.Ordinal);
            interviewer.Disabled = disabled;
            await check.SaveChangesAsync();
        }
    }
}
