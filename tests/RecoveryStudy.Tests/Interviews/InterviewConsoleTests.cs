using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>The console's interview task list and task page: assign, record, audit; analysts read counts only.</summary>
public sealed class InterviewConsoleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    /// <summary>A trainee whose interview window ran from 15 February to 29 March 2026 (in the past for the console's real clock).</summary>
    private async Task<(InterviewWorld World, InterviewTask Task)> TaskAsync(string code)
    {
        var world = await InterviewWorld.CreateAsync(database, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var p = await world.ParticipantAsync(code, new DateOnly(2025, 3, 1), enrolledOn: new DateOnly(2025, 1, 10));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        return (world, (await world.TasksAsync()).Single(t => t.ParticipantId == p.Id));
    }

    [Fact]
    public async Task A_researcher_assigns_an_interviewer_and_records_the_interview_and_both_are_audited()
    {
        var (world, task) = await TaskAsync("P-con-1");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        var other = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var page = $"/studies/{world.Study.Id}/interviews/{task.Id}";

        var assign = await StaffSession.PostFormAsync(client, page + "?handler=Assign", new() { ["InterviewerId"] = researcher.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, page);
        Assert.Equal(HttpStatusCode.Redirect, assign.StatusCode);
        var complete = await StaffSession.PostFormAsync(client, page + "?handler=Complete",
            new() { ["CompletedOn"] = "2026-03-04", ["DurationMinutes"] = "55", ["Mode"] = InterviewMode.Video }, page);
        Assert.Equal(HttpStatusCode.Redirect, complete.StatusCode);

        var stored = (await world.TasksAsync()).Single(t => t.Id == task.Id);
        Assert.Equal((InterviewStatus.Done, researcher.Id, new DateOnly(2026, 3, 4), 55, InterviewMode.Video),
            (stored.Status, stored.InterviewerId, stored.CompletedOn, stored.DurationMinutes, stored.Mode));
        await ConsoleActions.AssertAuditedAsync(world.Db, "interview.assign", task.Id);
        await ConsoleActions.AssertAuditedAsync(world.Db, "interview.complete", task.Id);

        // "My tasks" shows it to its interviewer; filtered to someone else, the list does not.
        var mine = await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}/interviews?Mine=true", UriKind.Relative));
        Assert.Contains("P-con-1", mine, StringComparison.Ordinal);
        var others = await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}/interviews?Interviewer={other.Id}", UriKind.Relative));
        Assert.DoesNotContain("P-con-1", others, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_date_outside_the_window_is_refused_with_a_message_and_changes_nothing()
    {
        var (world, task) = await TaskAsync("P-con-2");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var page = $"/studies/{world.Study.Id}/interviews/{task.Id}";

        var response = await StaffSession.PostFormAsync(client, page + "?handler=Complete",
            new() { ["CompletedOn"] = "2026-04-02", ["DurationMinutes"] = "55", ["Mode"] = InterviewMode.Phone }, page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The date must be inside the window, 2026-02-15 to 2026-03-29.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(InterviewStatus.Open, (await world.TasksAsync()).Single(t => t.Id == task.Id).Status);
    }

    [Fact]
    public async Task Recording_without_the_anti_forgery_token_is_refused_and_changes_nothing()
    {
        var (world, task) = await TaskAsync("P-con-3");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["CompletedOn"] = "2026-03-04", ["DurationMinutes"] = "55", ["Mode"] = InterviewMode.Phone });
        var response = await client.PostAsync(new Uri($"/studies/{world.Study.Id}/interviews/{task.Id}?handler=Complete", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InterviewStatus.Open, (await world.TasksAsync()).Single(t => t.Id == task.Id).Status);
    }

    [Fact]
    public async Task An_analyst_sees_the_counts_but_cannot_open_or_record_a_task()
    {
        var (world, task) = await TaskAsync("P-con-4");
        await using var _ = world;
        var analyst = await StaffSession.CreateUserAsync(world.Db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, analyst.Email);

        var list = await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}/interviews", UriKind.Relative));
        Assert.Contains("open: 1", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"/interviews/{task.Id}", list, StringComparison.Ordinal);
        var page = await client.GetAsync(new Uri($"/studies/{world.Study.Id}/interviews/{task.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["CompletedOn"] = "2026-03-04", ["DurationMinutes"] = "55", ["Mode"] = InterviewMode.Phone });
        var post = await client.PostAsync(new Uri($"/studies/{world.Study.Id}/interviews/{task.Id}?handler=Complete", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(InterviewStatus.Open, (await world.TasksAsync()).Single(t => t.Id == task.Id).Status);
    }

    [Fact]
    public async Task The_email_pages_leave_out_the_interview_wave_which_sends_no_email()
    {
        var (world, _) = await TaskAsync("P-con-5");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);

        foreach (var page in new[] { "emails", "test-email" })
        {
            var response = await client.GetAsync(new Uri($"/studies/{world.Study.Id}/{page}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("post", html, StringComparison.Ordinal);
            Assert.DoesNotContain("int12", html, StringComparison.Ordinal);
        }
    }
}
