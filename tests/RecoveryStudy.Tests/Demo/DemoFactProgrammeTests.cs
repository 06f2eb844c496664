using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Reports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Demo;

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
        Assert.Contains($"{DemoCohorts.ProgrammeStudy}: {tasks.Count} past interview(s) written", report);

        // Seeding again writes no second interview.
        clock.Advance(TimeSpan.FromHours(2));
        await using (var again = database.CreateContext())
        {
            var second = await new DemoSeeder(again, clock).SeedAsync(Seeds.Folder, CancellationToken.None);
            Assert.Contains($"{DemoCohorts.ProgrammeStudy}: 0 past interview(s) written", second);
        }
        Assert.Equal(tasks.Count, await check.InterviewTasks.CountAsync(t => t.StudyId == study.Id));
    }
}
