using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Enrollment;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Enrollment;

public sealed class ParticipantImporterTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Semicolon_file_as_a_spreadsheet_saves_it_is_read()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        var csv = "Code;Email;Name;Language;Cohort\r\nP-1; Ann@Example.ORG ;\"Nowak; Anna\";da;ed-1\r\n\r\nP-2;bo@example.org;\"Berg, Bo\";;ed-1\r\n;;;;\r\n";

        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, csv);

        Assert.Empty(result.Errors);
        Assert.Equal((2, 0, 0), (result.Created, result.Updated, result.Unchanged));
        await using var check = database.CreateContext();
        var people = await check.Participants.Include(p => p.Contact).Include(p => p.Cohort).Where(p => p.StudyId == check.Studies.Single(s => s.Code == study).Id).OrderBy(p => p.Code).ToListAsync();
        Assert.Equal(["P-1", "P-2"], people.Select(p => p.Code));
        Assert.Equal("ann@example.org", people[0].Contact!.Email);
        Assert.Equal("Nowak; Anna", people[0].Contact!.Name);
        Assert.Equal("Berg, Bo", people[1].Contact!.Name);
        Assert.Equal(["da", "en"], people.Select(p => p.Language));
        Assert.All(people, p => Assert.Equal(("trainee", "Europe/Copenhagen", "ed-1"), (p.Role, p.TimeZone, p.Cohort!.Code)));
        Assert.All(people, p => Assert.Equal(new DateOnly(2026, 2, 10), p.EnrolledOn));
    }

    [Fact]
    public async Task File_with_a_byte_order_mark_is_read()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        var csv = RosterTestStudy.Header + "\nP-1,a@example.org,Åse Ødegård,da,Europe/Oslo,trainee,,2026-03-02,2026-06-26\n";

        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, csv, bom: true);

        Assert.Empty(result.Errors);
        await using var check = database.CreateContext();
        var participant = await check.Participants.Include(p => p.Contact).Include(p => p.Anchors).SingleAsync(p => p.StudyId == check.Studies.Single(s => s.Code == study).Id);
        Assert.Equal("P-1", participant.Code);
        Assert.Equal("Åse Ødegård", participant.Contact!.Name);
        Assert.Equal("Europe/Oslo", participant.TimeZone);
        Assert.Null(participant.CohortId);
        Assert.Equal([("course_end", new DateOnly(2026, 6, 26)), ("course_start", new DateOnly(2026, 3, 2))],
            participant.Anchors.OrderBy(a => a.Name).Select(a => (a.Name, a.Date)));
    }

    [Fact]
    public async Task Reimporting_the_same_file_changes_nothing_and_changed_anchors_are_updated_and_reported()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        var clock = RosterTestStudy.Clock();
        var csv = RosterTestStudy.Header + "\nP-1,a@example.org,A,en,,trainee,ed-1,,\nP-2,b@example.org,B,en,,trainee,ed-1,,2026-06-26\n";
        Assert.Equal(2, (await RosterTestStudy.ImportAsync(db, clock, study, csv)).Created);

        clock.Advance(TimeSpan.FromDays(1));
        await using (var again = database.CreateContext())
        {
            var same = await RosterTestStudy.ImportAsync(again, clock, study, csv);
            Assert.Equal((0, 0, 2), (same.Created, same.Updated, same.Unchanged));
            Assert.Empty(same.Changes);
        }

        clock.Advance(TimeSpan.FromDays(1));
        var moved = csv.Replace("B,en,,trainee,ed-1,,2026-06-26", "B,en,,trainee,ed-1,,2026-07-03", StringComparison.Ordinal);
        await using (var third = database.CreateContext())
        {
            var result = await RosterTestStudy.ImportAsync(third, clock, study, moved);
            Assert.Equal((0, 1, 1), (result.Created, result.Updated, result.Unchanged));
            Assert.Equal(["P-2: course_end moved from 2026-06-26 to 2026-07-03 (future sends only)"], result.Changes);
        }

        await using var check = database.CreateContext();
        var people = await check.Participants.Include(p => p.Anchors).Where(p => p.StudyId == check.Studies.Single(s => s.Code == study).Id).OrderBy(p => p.Code).ToListAsync();
        Assert.Equal(new DateOnly(2026, 7, 3), people[1].Anchors.Single().Date);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, people[1].UpdatedAt);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddDays(-2), people[0].UpdatedAt);
        Assert.Equal(3, await check.AuditEntries.CountAsync(a => a.Action == "participants.import" && a.StudyId == people[0].StudyId));
        Assert.DoesNotContain(await check.AuditEntries.Where(a => a.StudyId == people[0].StudyId).Select(a => a.Details).ToListAsync(), d => d != null && d.Contains('@'));
    }

    [Fact]
    public async Task Unknown_cohort_is_created_when_asked()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        var csv = RosterTestStudy.Header + "\nP-1,a@example.org,A,en,,trainee,ed-2,2026-09-01,2026-12-18\n";

        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, csv, options: new ParticipantImportOptions(CreateCohorts: true));

        Assert.Empty(result.Errors);
        Assert.Contains(result.Changes, c => c.StartsWith("cohort 'ed-2' created", StringComparison.Ordinal));
        await using var check = database.CreateContext();
        Assert.Equal("ed-2", (await check.Participants.Include(p => p.Cohort).SingleAsync(p => p.StudyId == check.Studies.Single(s => s.Code == study).Id)).Cohort!.Code);
    }

    [Fact]
    public async Task Five_thousand_rows_go_in_together_or_not_at_all()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        var good = Roster(5000, badLine: null);
        var bad = Roster(5000, badLine: 4001);

        var refused = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, bad);
        Assert.Equal([new CsvProblem(4001, "anchor_course_end", "'2026-13-01' is not a date; write it as YYYY-MM-DD, such as 2026-03-01")], refused.Errors);
        await using (var check = database.CreateContext())
        {
            Assert.Equal(0, await check.Participants.CountAsync(p => p.StudyId == check.Studies.Single(s => s.Code == study).Id));
        }

        var watch = Stopwatch.StartNew();
        await using var fresh = database.CreateContext();
        var result = await RosterTestStudy.ImportAsync(fresh, RosterTestStudy.Clock(), study, good);
        watch.Stop();
        Assert.Empty(result.Errors);
        Assert.Equal(5000, result.Created);
        await using (var check = database.CreateContext())
        {
            Assert.Equal(5000, await check.Participants.CountAsync(p => p.StudyId == check.Studies.Single(s => s.Code == study).Id));
            Assert.Equal(5000, await check.ContactDetails.CountAsync(c => c.StudyId == check.Studies.Single(s => s.Code == study).Id));
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"5,000 rows took {watch.Elapsed}");
    }

    private static string Roster(int rows, int? badLine)
    {
        var csv = new StringBuilder(RosterTestStudy.Header).Append('\n');
        for (var i = 1; i <= rows; i++)
        {
            var line = i + 1;
            var end = line == badLine ? "2026-13-01" : "2026-06-26";
            csv.Append(CultureInfo.InvariantCulture, $"P-{i:D5},person{i}@example.org,Person {i},en,,trainee,ed-1,2026-03-02,{end}\n");
        }
        return csv.ToString();
    }
}
