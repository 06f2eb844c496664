using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Imports;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Imports;

public sealed class AnswerImportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const string Header = "participant,completed_at,wb1,wb2,wb3,wb4,wb5,mood,worked,job,helpful,comment,started";
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
        var studyId = await db.Studies.Where(s => s.Code == study).Select(s => s.Id).SingleAsync();
        await db.Items.Where(i => i.Code == "mood" && db.InstrumentVersions.Any(v => v.Id == i.InstrumentVersionId && db.Instruments.Any(n => n.Id == v.InstrumentId && n.StudyId == studyId)))
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Required, true));
        // Every wave counts from course_start (post: 60 days later), so the plan dates imported invitations.
        foreach (var participant in await db.Participants.Where(p => p.StudyId == studyId).ToListAsync())
        {
            db.ParticipantAnchors.Add(new ParticipantAnchor { ParticipantId = participant.Id, Name = "course_start", Date = new DateOnly(2026, 3, 2) });
        }
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<ImportResult> ImportAsync(string csv, string wave = "post", string instrument = "wellbeing")
    {
        await using var db = database.CreateContext();
        return await AnswerImport.RunAsync(db, TimeProvider.System, Actor.Cli, study, wave, instrument, new StringReader(csv), CancellationToken.None);
    }

    private async Task<int> ImportedCountAsync()
    {
        await using var db = database.CreateContext();
        return await db.Responses.CountAsync(r => r.Source == "import" && r.Invitation!.Wave!.Code == "post" && db.Studies.Any(s => s.Id == r.Invitation.StudyId && s.Code == study));
    }

    [Fact]
    public async Task Every_error_kind_is_reported_with_line_and_column_and_nothing_is_written()
    {
        var csv = string.Join("\n",
            "participant,participant,wb1,wb2,wb3,wb4,wb5,mood,worked,job,helpful,comment,started,bogus",
            "P-0002,P-0002,1,2,3,4,5,1,0,,1,,,x") + "\n";
        var header = await ImportAsync(csv);
        Assert.Contains(header.Errors, e => e is { Kind: "duplicate_column", Line: 1, Column: "participant" });
        Assert.Contains(header.Errors, e => e is { Kind: "unknown_column", Line: 1, Column: "bogus" });
        Assert.Contains((await ImportAsync("wb1,wb2\n1,2\n")).Errors, e => e is { Kind: "missing_column", Line: 1 });
        Assert.Contains((await ImportAsync("")).Errors, e => e.Kind == "empty_file");
        Assert.Contains((await ImportAsync(Header + "\n", wave: "nowave")).Errors, e => e.Kind == "unknown_target");

        var rows = string.Join("\n",
            Header,
            "P-0002,2026-05-01T10:00:00Z,9,2,3,4,5,1,0,,1,,",           // line 2: wb1 out of range
            "P-0003,yesterday,1,x,3,4,5,,0,,1;7,,2026-13-01",           // line 3: timestamp, number, code, date (an empty mood is a gap, not an error)
            "P-0404,,1,2,3,4,5,1,0,,,,",                                // line 4: unknown participant
            "P-0001,,1,2,3,4,5,1,0,,,,",                                // line 5: already answered post
            "P-0002,,1,2,3,4,5,1,0,,,,",                                // line 6: P-0002 twice
            "P-0005,,1,2,3,4,5,4,0,,,,",                                // line 7: mood 4 is no option
            "P-0006,,1,2,3",                                            // line 8: too few fields
            $"\"P-0004\",,1,2,3,4,5,1,1,\"{new string('a', 10001)}\",,,") + "\n"; // line 9: text too long
        var result = await ImportAsync(rows);
        Assert.False(result.Succeeded);
        ImportError[] expected =
        [
            new(2, "wb1", "out_of_range", ""), new(3, "completed_at", "invalid_timestamp", ""), new(3, "wb2", "not_a_number", ""),
            new(3, "helpful", "unknown_code", ""), new(3, "started", "invalid_date", ""),
            new(4, "participant", "unknown_participant", ""), new(5, "participant", "already_answered", ""), new(6, "participant", "duplicate_participant", ""),
            new(7, "mood", "unknown_code", ""), new(8, "", "field_count", ""), new(9, "job", "too_long", ""),
        ];
        Assert.Equal(expected.Select(e => (e.Line, e.Column, e.Kind)), result.Errors.Select(e => (e.Line, e.Column, e.Kind)));
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        Assert.Equal(0, await ImportedCountAsync());
    }

    [Fact]
    public async Task A_good_file_is_imported_whole_and_marked_as_imported()
    {
        var csv = string.Join("\n",
            Header,
            "P-0002,2026-05-01T10:00:00Z,1,2,3,4,5,1,1,\"cook, part-time\",1;3,\"said \"\"fine\"\"\",2026-04-30",
            "P-0003,,5,5,5,5,5,3,0,,,,") + "\n";
        var result = await ImportAsync(csv);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Responses);
        Assert.Equal(2, await ImportedCountAsync());

        var wide = await ExportRunner.ExportCsvAsync(database, study, new RecoveryStudy.Exports.ExportRequest("wide", "post"));
        Assert.Equal(("import", "60", "cook, part-time", "1", "0", "1", "2026-04-30"),
            (wide.Value("P-0002", "wellbeing_source"), wide.Value("P-0002", "who5_pct"), wide.Value("P-0002", "job"), wide.Value("P-0002", "helpful_1"), wide.Value("P-0002", "helpful_2"), wide.Value("P-0002", "helpful_3"), wide.Value("P-0002", "started")));
        Assert.Equal(("completed", "2026-05-01T10:00:00Z"), (wide.Value("P-0002", "invitation_status"), wide.Value("P-0002", "completed_at")));
        Assert.Equal(("completed", "100", "", "-1"), (wide.Value("P-0003", "invitation_status"), wide.Value("P-0003", "who5_pct"), wide.Value("P-0003", "job"), wide.Value("P-0003", "helpful_1")));
        // P-0003 had no post invitation: the import dates it by the plan (course_start + 60 days), not by today.
        Assert.Equal("2026-05-01", wide.Value("P-0003", "due_date"));

        await using var db = database.CreateContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "answers.import"));
        var again = await ImportAsync(csv);
        Assert.All(again.Errors, e => Assert.Equal("already_answered", e.Kind));
    }
}
