using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Enrollment;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Enrollment;

public sealed class ParticipantImporterErrorTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Roster_with_bad_rows_lists_every_bad_line_and_writes_nothing()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        var csv = string.Join("\n",
            RosterTestStudy.Header,
            "P-0001,ann@example.org,Ann,en,Europe/Copenhagen,trainee,ed-1,,",
            "P-0002,not-an-email,Bo,en,,trainee,ed-1,,",
            "P-0003,cy@example.org,Cy,en,,trainee,ed-9,,",
            "P-0004,di@example.org,Di,pl,,trainee,ed-1,,",
            "P-0001,ed@example.org,Ed,en,,trainee,ed-1,,",
            "P-0006,ANN@example.org ,Fi,en,,trainee,ed-1,,",
            "P-0007,gu@example.org,Gu,en,,trainee,ed-1,01/03/2026,",
            "P-0008,hu@example.org,Hu,en,,trainee,,,2026-06-26",
            "P-0009,io@example.org,Io,en,,nurse,ed-1,,",
            "P-0010,jo@example.org,Jo,en,Mars/Base,trainee,ed-1,,",
            "P 0011,ka@example.org,Ka,en,,trainee,ed-1,,") + "\n";

        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, csv);

        Assert.False(result.Succeeded);
        Assert.Equal(
        [
            new CsvProblem(3, "email", "is not a valid email address"),
            new CsvProblem(4, "cohort", "unknown cohort 'ed-9'; the study's cohorts: ed-1"),
            new CsvProblem(5, "language", "unknown language 'pl'; the study's languages: en, da"),
            new CsvProblem(6, "code", "duplicate code 'P-0001' (also on line 2)"),
            new CsvProblem(7, "email", "duplicate email (also on line 2)"),
            new CsvProblem(8, "anchor_course_start", "'01/03/2026' is not a date; write it as YYYY-MM-DD, such as 2026-03-01"),
            new CsvProblem(9, "anchor_course_start", "is missing: wave 'baseline' needs course_start for role trainee, and the participant has no cohort"),
            new CsvProblem(10, "role", "unknown role 'nurse'; the study's roles: trainee"),
            new CsvProblem(11, "time_zone", "unknown time zone 'Mars/Base'; use an IANA name such as Europe/Warsaw"),
            new CsvProblem(12, "code", "must be at most 64 letters, digits, -, _ or . (no spaces)"),
        ], result.Errors);
        await AssertNothingWrittenAsync(study);
    }

    [Fact]
    public async Task Missing_anchor_is_reported_when_the_cohort_does_not_give_it()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        var csv = "code,email,cohort,anchor_course_start\nP-1,a@example.org,ed-1,\nP-2,b@example.org,,2026-03-02\n";

        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, csv);

        var problem = Assert.Single(result.Errors);
        Assert.Equal(new CsvProblem(3, "anchor_course_end", "is missing: wave 'followup' needs course_end for role trainee, and the participant has no cohort"), problem);
        await AssertNothingWrittenAsync(study);
    }

    [Fact]
    public async Task Bad_header_is_reported_before_any_row()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        var csv = "code,mail,phone,anchor_course_begin\nP-1,a@example.org,123,2026-01-01\n";

        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, csv);

        Assert.Contains(new CsvProblem(1, "email", "column is missing from the header"), result.Errors);
        Assert.Contains(result.Errors, e => e is { Line: 1, Field: "phone" } && e.Message.StartsWith("unknown column; expected code, email", StringComparison.Ordinal));
        Assert.Contains(new CsvProblem(1, "anchor_course_begin", "unknown anchor 'course_begin'; the study's anchors: course_start, course_end"), result.Errors);
        await AssertNothingWrittenAsync(study);
    }

    [Fact]
    public async Task Email_of_another_enrolled_participant_is_refused()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        Assert.True((await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, "code,email,cohort\nP-1,a@example.org,ed-1\n")).Succeeded);

        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, "code,email,cohort\nP-2,A@Example.org,ed-1\n");

        Assert.Equal([new CsvProblem(2, "email", "already belongs to participant P-1")], result.Errors);
    }

    [Fact]
    public async Task Roster_with_addresses_the_mail_software_reads_otherwise_is_refused_whole_naming_each_line()
    {
        await using var db = database.CreateContext();
        var study = await RosterTestStudy.CreateAsync(db);
        var csv = string.Join("\n",
            "code,email,cohort",
            "P-1,ann@example.org,ed-1",
            "P-2,colon:x@example.org,ed-1",
            "P-3,paren(comment)@example.org,ed-1",
            "P-4,x@[10.0.0.1],ed-1",
            "P-5,\"Bo <bo@example.org>\",ed-1",
            "P-6,\"cy@example.org, di@example.org\",ed-1",
            "P-7,eve@localhost,ed-1",
            "P-8,\"\"\"fi\"\"@example.org\",ed-1",
            "P-9,gu@example.org.,ed-1",
            "P-10,hu@ｅxample.org,ed-1",
            "P-11,  Io@Example.ORG ,ed-1",
            "P-12,jo@bücher.de,ed-1") + "\n";

        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study, csv);

        Assert.Equal(
        [
            new CsvProblem(3, "email", "is not a valid email address"),
            new CsvProblem(4, "email", "holds a comment in parentheses, which mail software drops: the email would go to another mailbox"),
            new CsvProblem(5, "email", "has an IP address instead of a domain name"),
            new CsvProblem(6, "email", "must be the address alone, without a name or angle brackets"),
            new CsvProblem(7, "email", "holds more than one address; give one address per participant"),
            new CsvProblem(8, "email", "needs a full domain after the @, such as example.org"),
            new CsvProblem(9, "email", "has a quoted mailbox name, which is not accepted"),
            new CsvProblem(10, "email", "is read by the mail software as a different address; give the plain address"),
            new CsvProblem(11, "email", "has a domain that is not written in its standard form"),
        ], result.Errors);
        Assert.DoesNotContain(result.Errors, e => new[] { "colon", "comment)", "10.0.0.1", "bo@", "di@", "eve@", "fi\"", "gu@", "hu@" }.Any(e.Message.Contains));
        await AssertNothingWrittenAsync(study);
    }

    [Fact]
    public async Task Unknown_study_is_an_error()
    {
        await using var db = database.CreateContext();
        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), "no-such-study", RosterTestStudy.Header + "\n");
        Assert.Equal("no study has the code 'no-such-study'", Assert.Single(result.Errors).Message);
    }

    private async Task AssertNothingWrittenAsync(string study)
    {
        await using var check = database.CreateContext();
        var studyId = await check.Studies.Where(s => s.Code == study).Select(s => s.Id).SingleAsync();
        Assert.Equal(0, await check.Participants.CountAsync(p => p.StudyId == studyId));
        Assert.Equal(0, await check.ContactDetails.CountAsync(c => c.StudyId == studyId));
        Assert.Equal(0, await check.AuditEntries.CountAsync(a => a.StudyId == studyId && a.Action == "participants.import"));
    }
}
