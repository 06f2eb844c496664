using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Enrollment;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Demo;

/// <summary>
/// Loads the demo: the three seed studies with made-up cohorts and people, and a past that holds a
/// finished follow-up. Only the `demo seed` verb calls it; the host never does. Running it
/// again is safe: unchanged files change nothing and existing invitations are kept.
/// </summary>
internal sealed class DemoSeeder(StudyDbContext db, TimeProvider clock)
{
    public async Task<List<string>> SeedAsync(string seedsFolder, CancellationToken ct)
    {
        var report = new List<string>();
        foreach (var studyCode in new[] { DemoCohorts.RaStudy, DemoCohorts.FactStudy, DemoCohorts.ProgrammeStudy })
        {
            var seed = ProtocolValidator.Validate(await File.ReadAllTextAsync(Path.Combine(seedsFolder, studyCode + ".study.json"), ct));
            if (!seed.IsValid)
            {
                throw new InvalidOperationException($"seeds/{studyCode}.study.json does not validate: {seed.Problems[0]}");
            }
            var today = Today(seed.Protocol!.Study.TimeZone);
            var cohorts = DemoCohorts.For(today).Where(c => c.StudyCode == studyCode).ToList();
            var protocol = DemoCohorts.WithCohorts(seed.Protocol!, cohorts);
            var imported = await new ProtocolImporter(db, clock).ImportAsync(ProtocolJson.Serialize(protocol), Actor.Cli, ct);
            if (!imported.Succeeded)
            {
                throw new InvalidOperationException($"{studyCode}: {imported.Problems[0]}");
            }
            report.Add($"{studyCode}: protocol version {imported.Version} ({string.Join("; ", imported.Changes.Take(3))})");

            await using var roster = new MemoryStream(Encoding.UTF8.GetBytes(DemoCohorts.Roster(studyCode, cohorts)));
            var enrolled = await new ParticipantImporter(db, clock).ImportAsync(studyCode, roster, Actor.Cli, ct);
            if (!enrolled.Succeeded)
            {
                throw new InvalidOperationException($"{studyCode} roster: {enrolled.Errors[0]}");
            }
            report.Add($"{studyCode}: participants created {enrolled.Created}, updated {enrolled.Updated}, unchanged {enrolled.Unchanged}");

            var study = await db.Studies.SingleAsync(s => s.Code == studyCode, ct);
            var history = new DemoHistory(db, clock.GetUtcNow().UtcDateTime);
            var written = 0;
            foreach (var cohort in cohorts)
            {
                written += await history.WriteAsync(study, cohort, ct);
            }
            report.Add($"{studyCode}: {written} past invitation(s) written");
            if (studyCode == DemoCohorts.ProgrammeStudy)
            {
                var interviews = new DemoInterviews(db, clock.GetUtcNow().UtcDateTime);
                var tasks = 0;
                foreach (var cohort in cohorts)
                {
                    tasks += await interviews.WriteAsync(study, cohort, ct);
                }
                report.Add($"{studyCode}: {tasks} past interview(s) written");
                var bookings = new DemoBookings(db, clock);
                var interviewers = await interviews.InterviewersAsync(ct);
                var offered = 0;
                foreach (var cohort in cohorts)
                {
                    offered += await bookings.WriteAsync(study, cohort, interviewers, ct);
                }
                report.Add($"{studyCode}: {offered} interview task(s) given times to book");
            }
        }
        return report;
    }

    private DateOnly Today(string timeZone) =>
        Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(DateTimeZoneProviders.Tzdb[timeZone]).Date.ToDateOnly();
}
