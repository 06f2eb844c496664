using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>
/// Issue 23, team anchors: professionals are planned from their team's date (the cohort's
/// team_peer_start), and moving the team's date re-plans their open tasks and invitations, not a
/// done interview, not another team, not the peer workers who count from their own employment.
/// </summary>
public sealed class TeamAnchorReplanTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Moving_the_teams_date_moves_the_open_tasks_and_invitations_of_its_professionals_only()
    {
        await using var world = await FactProgrammeWorld.CreateAsync(database);
        Assert.True((await world.RosterAsync(
            "PR-a1,professional,team-a,2015-05-01,,", "PR-a2,professional,team-a,,,", "PR-b1,professional,team-b,,,",
            "PW-a1,peer_worker,team-a,2027-02-01,,")).Succeeded);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var a = FactProgrammeWorld.TeamAStart;
        var b = FactProgrammeWorld.TeamBStart;
        Assert.Equal(
        [
            ("PR-a1", "prof_interview_24m", a.AddMonths(24), InterviewStatus.Open), ("PR-a1", "prof_interview_start", a, InterviewStatus.Open),
            ("PR-a2", "prof_interview_24m", a.AddMonths(24), InterviewStatus.Open), ("PR-a2", "prof_interview_start", a, InterviewStatus.Open),
            ("PR-b1", "prof_interview_24m", b.AddMonths(24), InterviewStatus.Open), ("PR-b1", "prof_interview_start", b, InterviewStatus.Open),
            ("PW-a1", "peer_interview_24m", a.AddMonths(24), InterviewStatus.Open), ("PW-a1", "peer_interview_start", a, InterviewStatus.Open),
        ], await world.TasksAsync());
        Assert.Contains(("PR-a1", "prof_attitudes_start", a, "planned"), await world.InvitationsAsync());

        // PR-a2's first interview is held; then team A's peer workers turn out to start six weeks later.
        var held = await world.TaskAsync("PR-a2", "prof_interview_start");
        await world.Db.InterviewTasks.Where(t => t.Id == held.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, InterviewStatus.Done)
            .SetProperty(t => t.CompletedOn, a.AddDays(3)).SetProperty(t => t.DurationMinutes, 45).SetProperty(t => t.Mode, InterviewMode.InPerson));
        var moved = new DateOnly(2027, 3, 15);
        await world.SetTeamStartAsync("team-a", moved);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);

        Assert.Equal(
        [
            ("PR-a1", "prof_interview_24m", moved.AddMonths(24), InterviewStatus.Open), ("PR-a1", "prof_interview_start", moved, InterviewStatus.Open),
            ("PR-a2", "prof_interview_24m", moved.AddMonths(24), InterviewStatus.Open), ("PR-a2", "prof_interview_start", a, InterviewStatus.Done),
            ("PR-b1", "prof_interview_24m", b.AddMonths(24), InterviewStatus.Open), ("PR-b1", "prof_interview_start", b, InterviewStatus.Open),
            ("PW-a1", "peer_interview_24m", a.AddMonths(24), InterviewStatus.Open), ("PW-a1", "peer_interview_start", a, InterviewStatus.Open),
        ], await world.TasksAsync());
        var invitations = await world.InvitationsAsync();
        Assert.Contains(("PR-a1", "prof_attitudes_start", moved, "planned"), invitations);
        Assert.Contains(("PW-a1", "baseline", a, "planned"), invitations);
    }
}
