using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Enrollment;
using RecoveryStudy.Interviews;
using RecoveryStudy.Staff;
using RecoveryStudy.Protocol;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>
/// Issue 23, team-only anchors (<c>"scope": "team"</c>, the FACT seed's team_peer_start): the protocol names a
/// bad scope by its path; a participant's own date for such an anchor is refused by the roster (line and
/// column) and by the console's anchors page (nothing saved); the planner uses the team's date only, even
/// for an own date stored before the protocol made the anchor team-only.
/// </summary>
public sealed class TeamOnlyAnchorTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public void The_seed_declares_the_team_date_team_only_and_an_unknown_scope_is_named_by_its_path()
    {
        var seed = ProtocolValidator.Validate(Seeds.Read(Seeds.FactProgramme));
        Assert.Empty(seed.Problems);
        Assert.Equal("team", seed.Protocol!.Anchors.Single(a => a.Code == "team_peer_start").Scope);

        var document = JsonNode.Parse(Seeds.Read(Seeds.FactProgramme))!.AsObject();
        var index = document["anchors"]!.AsArray().Select((a, i) => ((string?)a!["code"], i)).Single(x => x.Item1 == "team_peer_start").i;
        document["anchors"]![index]!["scope"] = "cohort";
        var problem = Assert.Single(ProtocolValidator.Validate(document.ToJsonString()).Problems);
        Assert.Equal($"$.anchors[{index}].scope", problem.Path);
        Assert.Contains("participant, team", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_roster_refuses_an_own_team_date_with_line_and_column_and_writes_nothing()
    {
        await using var world = await FactProgrammeWorld.CreateAsync(database);
        var result = await RosterAsync(world, "code,email,role,cohort,anchor_team_peer_start",
            "PR-r1,pr-r1@example.org,professional,team-a,", "PR-r2,pr-r2@example.org,professional,team-a,2027-04-01");

        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "anchor_team_peer_start"), (error.Line, error.Field));
        Assert.Contains("team-only", error.Message, StringComparison.Ordinal);
        Assert.False(await world.Db.Participants.AnyAsync(p => p.StudyId == world.StudyId));
    }

    [Fact]
    public async Task A_professional_without_a_team_date_is_refused_naming_the_cohort()
    {
        await using var world = await FactProgrammeWorld.CreateAsync(database);
        var result = await RosterAsync(world, "code,email,role,anchor_team_peer_start", "PR-n1,pr-n1@example.org,professional,");

        Assert.Contains(result.Errors, e => e.Line == 2 && e.Field == "cohort" && e.Message.Contains("team-only anchor team_peer_start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Planning_uses_the_teams_date_once_the_anchor_is_team_only_even_over_an_own_date_stored_before()
    {
        await using var world = await FactProgrammeWorld.CreateAsync(database);
        var document = JsonNode.Parse(Seeds.Read(Seeds.FactProgramme))!.AsObject();
        document["study"]!["code"] = world.Code;
        document["cohorts"] = new JsonArray(
            new JsonObject { ["code"] = "team-a", ["name"] = "Team A", ["anchors"] = new JsonObject { ["team_peer_start"] = Day(FactProgrammeWorld.TeamAStart) } },
            new JsonObject { ["code"] = "team-b", ["name"] = "Team B", ["anchors"] = new JsonObject { ["team_peer_start"] = Day(FactProgrammeWorld.TeamBStart) } });
        var teamAnchor = document["anchors"]!.AsArray().Single(a => (string?)a!["code"] == "team_peer_start")!.AsObject();
        teamAnchor.Remove("scope");
        Assert.True((await ImportAsync(world, document)).Succeeded);
        var own = new DateOnly(2027, 5, 3);
        Assert.True((await RosterAsync(world, "code,email,role,cohort,anchor_team_peer_start", $"PR-o1,pr-o1@example.org,professional,team-a,{Day(own)}")).Succeeded);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        Assert.Equal(own, (await world.TaskAsync("PR-o1", "prof_interview_start")).DueDate);

        teamAnchor["scope"] = "team";
        var imported = await ImportAsync(world, document);
        Assert.Contains("anchor 'team_peer_start' is now team-only: participants' own dates no longer count", imported.Changes);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);

        var a = FactProgrammeWorld.TeamAStart;
        Assert.Equal(
            [("PR-o1", "prof_interview_24m", a.AddMonths(24), InterviewStatus.Open), ("PR-o1", "prof_interview_start", a, InterviewStatus.Open)],
            await world.TasksAsync());
        Assert.Contains(("PR-o1", "prof_attitudes_start", a, "planned"), await world.InvitationsAsync());
    }

    [Fact]
    public async Task The_console_anchors_page_shows_the_teams_date_and_refuses_an_own_date_changing_nothing()
    {
        await using var world = await FactProgrammeWorld.CreateAsync(database);
        Assert.True((await world.RosterAsync("PR-c1,professional,team-a,,,")).Succeeded);
        var participant = await world.ParticipantAsync("PR-c1");
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var page = $"/participants/{participant.Id}/anchors";

        var form = await client.GetStringAsync(new Uri(page, UriKind.Relative));
        Assert.DoesNotContain("name=\"Dates[team_peer_start]\"", form, StringComparison.Ordinal);
        Assert.Contains("Team-only: the team’s date applies (" + Day(FactProgrammeWorld.TeamAStart) + ")", WebUtility.HtmlDecode(form), StringComparison.Ordinal);

        var response = await StaffSession.PostFormAsync(client, page, new() { ["Dates[team_peer_start]"] = "2027-06-01", ["Dates[employment_start]"] = "2027-02-02" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("team_peer_start is a team-only anchor", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(await world.Db.ParticipantAnchors.AnyAsync(x => x.ParticipantId == participant.Id));
    }

    private static async Task<ParticipantImportResult> RosterAsync(FactProgrammeWorld world, string header, params string[] lines)
    {
        world.Db.ChangeTracker.Clear();
        var csv = new StringBuilder(header + "\n");
        foreach (var line in lines)
        {
            csv.Append(line).Append('\n');
        }
        var result = await new ParticipantImporter(world.Db, world.Clock).ImportAsync(world.Code, new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), Actor.Cli, CancellationToken.None);
        world.Db.ChangeTracker.Clear();
        return result;
    }

    private static async Task<ProtocolImportResult> ImportAsync(FactProgrammeWorld world, JsonObject document)
    {
        world.Db.ChangeTracker.Clear();
        var imported = await new ProtocolImporter(world.Db, TimeProvider.System).ImportAsync(document.ToJsonString(), Actor.Cli, CancellationToken.None);
        Assert.True(imported.Succeeded, string.Join("; ", imported.Problems));
        world.Db.ChangeTracker.Clear();
        return imported;
    }
}
