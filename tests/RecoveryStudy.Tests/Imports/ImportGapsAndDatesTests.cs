using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Exports;
using RecoveryStudy.Imports;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Imports;

/// <summary>
/// An answer import records what was answered and reports the gaps (item nonresponse per item),
/// honours show-if gates, and dates the invitations it creates by a due_date column or the plan.
/// </summary>
public sealed class ImportGapsAndDatesTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const string Header = "participant,due_date,wb1,wb2,wb3,wb4,wb5,mood,worked,job";
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
        var studyId = await db.Studies.Where(s => s.Code == study).Select(s => s.Id).SingleAsync();
        await db.Items.Where(i => (i.Code == "mood" || i.Code == "job") && db.InstrumentVersions.Any(v => v.Id == i.InstrumentVersionId && db.Instruments.Any(n => n.Id == v.InstrumentId && n.StudyId == studyId)))
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Required, true));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<ImportResult> ImportAsync(string csv)
    {
        await using var db = database.CreateContext();
        return await AnswerImport.RunAsync(db, TimeProvider.System, Actor.Cli, study, "post", "wellbeing", new StringReader(csv), CancellationToken.None);
    }

    [Fact]
    public async Task Required_items_left_empty_are_imported_and_counted_per_item()
    {
        var csv = string.Join("\n",
            Header,
            "P-0003,2026-04-20,1,2,,4,5,,1,",   // wb3, mood and the shown job empty
            "P-0005,2026-04-20,1,2,,4,5,2,0,") + "\n"; // wb3 empty; job hidden by worked = 0
        var result = await ImportAsync(csv);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal([new ItemGap("wb3", 2, 2), new ItemGap("mood", 2, 1), new ItemGap("job", 1, 1)],
            result.Gaps.Where(g => g.Item is "wb3" or "mood" or "job"));

        var wide = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.Wide, "post"));
        Assert.Equal(("-1", "-1"), (wide.Value("P-0003", "mood"), wide.Value("P-0005", "wb3")));
    }

    [Fact]
    public async Task An_answer_behind_a_closed_gate_is_refused_with_its_line_and_column()
    {
        var result = await ImportAsync(Header + "\nP-0003,2026-04-20,1,2,3,4,5,1,0,cook\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal((2, "job", "not_shown"), (error.Line, error.Column, error.Kind));
    }

    [Fact]
    public async Task A_due_date_column_dates_the_invitation_and_without_one_or_an_anchor_the_line_is_refused()
    {
        var refused = await ImportAsync("participant,wb1\nP-0006,3\n");
        var error = Assert.Single(refused.Errors);
        Assert.Equal((2, "due_date", "no_due_date"), (error.Line, error.Column, error.Kind));

        var result = await ImportAsync(Header + "\nP-0006,2026-04-20,1,2,3,4,5,1,0,\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        await using var db = database.CreateContext();
        var invitation = await db.Invitations.SingleAsync(i => i.Participant!.Code == "P-0006" && i.Wave!.Code == "post" && i.StudyId == db.Studies.Single(s => s.Code == study).Id);
        // Europe/Warsaw is UTC+2 in April: the window is 20 April 00:00 local to the end of its 21st day after.
        Assert.Equal((new DateOnly(2026, 4, 20), new DateTime(2026, 4, 19, 22, 0, 0), new DateTime(2026, 5, 11, 22, 0, 0)),
            (invitation.DueDate, invitation.OpensAt, invitation.ClosesAt));
    }
}
