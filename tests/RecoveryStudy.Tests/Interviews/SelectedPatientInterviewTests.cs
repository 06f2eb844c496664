using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>
/// The FACT programme's patient interview (requires_flag: selected_for_interview): planned for flagged
/// patients only, planned when the flag is set later, removed while not done when the flag is cleared.
/// </summary>
public sealed class SelectedPatientInterviewTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Wave = "patient_interview_12m";

    [Fact]
    public async Task Only_a_flagged_patient_gets_the_interview_and_setting_the_flag_later_plans_it()
    {
        await using var world = await FactProgrammeWorld.CreateAsync(database);
        Assert.True((await world.RosterAsync("P-sel-1,patient,team-a,,2027-01-04,1", "P-sel-2,patient,team-a,,2027-01-04,")).Succeeded);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);

        Assert.Equal([("P-sel-1", Wave, new DateOnly(2028, 1, 4), InterviewStatus.Open)], (await world.TasksAsync()).Where(t => t.Wave == Wave));

        var update = await world.RosterAsync("P-sel-1,patient,team-a,,2027-01-04,1", "P-sel-2,patient,team-a,,2027-01-04,yes");
        Assert.Equal(["P-sel-2: flag selected_for_interview set"], update.Changes);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);

        Assert.Equal(["P-sel-1", "P-sel-2"], (await world.TasksAsync()).Where(t => t.Wave == Wave).Select(t => t.Participant));
    }

    [Fact]
    public async Task Clearing_the_flag_in_the_console_removes_the_open_task_is_audited_and_a_done_interview_stays()
    {
        await using var world = await FactProgrammeWorld.CreateAsync(database);
        Assert.True((await world.RosterAsync("P-clr-1,patient,team-a,,2027-01-04,1", "P-clr-2,patient,team-a,,2027-01-04,1")).Succeeded);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var done = await world.TaskAsync("P-clr-2", Wave);
        await world.Db.InterviewTasks.Where(t => t.Id == done.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, InterviewStatus.Done)
            .SetProperty(t => t.CompletedOn, new DateOnly(2028, 1, 5)).SetProperty(t => t.DurationMinutes, 40).SetProperty(t => t.Mode, InterviewMode.Phone));

        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        foreach (var code in new[] { "P-clr-1", "P-clr-2" })
        {
            var page = $"/participants/{(await world.ParticipantAsync(code)).Id}/flags";
            Assert.Contains("selected_for_interview", await client.GetStringAsync(new Uri(page, UriKind.Relative)), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await StaffSession.PostFormAsync(client, page, new())).StatusCode);
        }
        await world.Jobs.Plan.RunAsync(CancellationToken.None);

        var p1 = await world.ParticipantAsync("P-clr-1");
        Assert.Empty(p1.Flags);
        await ConsoleActions.AssertAuditedAsync(world.Db, "participant.flags", p1.Id);
        Assert.Equal([("P-clr-2", Wave, done.DueDate, InterviewStatus.Done)], (await world.TasksAsync()).Where(t => t.Wave == Wave));
    }

    [Fact]
    public async Task A_roster_with_an_unknown_flag_or_a_value_that_is_not_yes_or_no_is_refused_naming_the_field_and_changes_nothing()
    {
        await using var world = await FactProgrammeWorld.CreateAsync(database);

        var badValue = await world.RosterAsync("P-bad-1,patient,team-a,,2027-01-04,perhaps");
        Assert.Equal(["line 2, flag_selected_for_interview: 'perhaps' is not yes or no; write 1 (or yes) to set the flag, 0 (or no, or nothing) to clear it"],
            badValue.Errors.Select(e => e.ToString()));

        var csv = "code,email,role,anchor_inclusion,flag_chosen\nP-bad-2,p-bad-2@example.org,patient,2027-01-04,1\n";
        var unknown = await new RecoveryStudy.Enrollment.ParticipantImporter(world.Db, world.Clock).ImportAsync(world.Code,
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), RecoveryStudy.Staff.Actor.Cli, CancellationToken.None);
        Assert.Equal(["line 1, flag_chosen: unknown flag 'chosen'; the flags the study's waves require: selected_for_interview"], unknown.Errors.Select(e => e.ToString()));

        Assert.False(await world.Db.Participants.AnyAsync(p => p.StudyId == world.StudyId));
    }
}
