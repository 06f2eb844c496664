using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Reports;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>Interview waves planned by the scheduler: tasks on the right dates, no email, missed and done in the response report.</summary>
public sealed class InterviewPlanningTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Planning_gives_an_interview_task_on_the_anchor_plus_offset_with_its_window_and_no_email()
    {
        await using var world = await InterviewWorld.CreateAsync(database);
        var trainee = await world.ParticipantAsync("P-int-1", new DateOnly(2027, 3, 1));
        var professional = await world.ParticipantAsync("P-int-2", new DateOnly(2027, 3, 1), role: "professional");
        // Course ended in January 2025: the interview window (to 7 February 2026) closed before enrolment.
        var late = await world.ParticipantAsync("P-int-3", new DateOnly(2025, 1, 10));

        await world.Jobs.Plan.RunAsync(CancellationToken.None);

        var tasks = await world.TasksAsync();
        Assert.DoesNotContain(tasks, t => t.ParticipantId == professional.Id);
        var task = tasks.Single(t => t.ParticipantId == trainee.Id);
        Assert.Equal(world.Interview.Id, task.WaveId);
        Assert.Equal((new DateOnly(2028, 3, 1), new DateOnly(2028, 2, 16), new DateOnly(2028, 3, 29)), (task.DueDate, task.OpensOn, task.ClosesOn));
        // The end of 29 March 2028 in Warsaw, summer time (UTC+2) since 26 March.
        Assert.Equal(new DateTime(2028, 3, 29, 22, 0, 0, DateTimeKind.Utc), task.ClosesAt);
        Assert.Equal(InterviewStatus.Open, task.Status);
        Assert.Null(task.InterviewerId);
        var missed = tasks.Single(t => t.ParticipantId == late.Id);
        Assert.Equal((InterviewStatus.Missed, new DateOnly(2026, 1, 10)), (missed.Status, missed.DueDate));

        // The interview wave has no invitation and no email; the questionnaire wave has its own as before.
        Assert.False(await world.Db.Invitations.AnyAsync(i => i.WaveId == world.Interview.Id));
        Assert.True(await world.Db.Invitations.AnyAsync(i => i.WaveId == world.Post.Id && i.ParticipantId == trainee.Id));

        // Planning again changes nothing.
        world.Db.ChangeTracker.Clear();
        await world.Db.Participants.Where(p => p.StudyId == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.ScheduleStale, true));
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        Assert.Equal(tasks.Select(t => (t.Id, t.DueDate, t.Status, t.UpdatedAt)), (await world.TasksAsync()).Select(t => (t.Id, t.DueDate, t.Status, t.UpdatedAt)));
    }

    [Fact]
    public async Task An_open_task_follows_a_changed_anchor_and_a_done_one_never_moves()
    {
        await using var world = await InterviewWorld.CreateAsync(database);
        var p = await world.ParticipantAsync("P-move-1", new DateOnly(2027, 3, 1));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);

        await SetCourseEndAsync(world, p.Id, new DateOnly(2027, 4, 30));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var moved = Assert.Single(await world.TasksAsync());
        // 30 April 2027 + 12 months; the window's last day 28 days later.
        Assert.Equal((new DateOnly(2028, 4, 30), new DateOnly(2028, 5, 28)), (moved.DueDate, moved.ClosesOn));

        await world.Db.InterviewTasks.Where(t => t.Id == moved.Id).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, InterviewStatus.Done).SetProperty(t => t.CompletedOn, new DateOnly(2028, 5, 2))
            .SetProperty(t => t.DurationMinutes, 50).SetProperty(t => t.Mode, InterviewMode.Phone));
        await SetCourseEndAsync(world, p.Id, new DateOnly(2027, 6, 1));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var done = Assert.Single(await world.TasksAsync());
        Assert.Equal((InterviewStatus.Done, new DateOnly(2028, 4, 30)), (done.Status, done.DueDate));
    }

    [Fact]
    public async Task The_expire_job_marks_an_open_task_missed_once_its_window_has_closed_and_not_before()
    {
        await using var world = await InterviewWorld.CreateAsync(database);
        await world.ParticipantAsync("P-exp-1", new DateOnly(2027, 3, 1));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var task = Assert.Single(await world.TasksAsync());

        world.Clock.SetUtcNow(new DateTimeOffset(task.ClosesAt.AddMinutes(-1), TimeSpan.Zero));
        await world.Jobs.Expire.RunAsync(CancellationToken.None);
        Assert.Equal(InterviewStatus.Open, Assert.Single(await world.TasksAsync()).Status);

        world.Clock.SetUtcNow(new DateTimeOffset(task.ClosesAt, TimeSpan.Zero));
        await world.Jobs.Expire.RunAsync(CancellationToken.None);
        Assert.Equal(InterviewStatus.Missed, Assert.Single(await world.TasksAsync()).Status);
    }

    [Fact]
    public async Task The_response_report_counts_a_done_interview_as_complete_and_a_closed_window_as_missed()
    {
        await using var world = await InterviewWorld.CreateAsync(database, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var done = await world.ParticipantAsync("P-rep-1", new DateOnly(2025, 3, 1));
        var missed = await world.ParticipantAsync("P-rep-2", new DateOnly(2025, 3, 1));
        var ahead = await world.ParticipantAsync("P-rep-3", new DateOnly(2030, 3, 1));
        // Enrolled in 2025, so that the windows of March 2026 were open to them.
        await world.Db.Participants.Where(p => p.StudyId == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.EnrolledOn, new DateOnly(2025, 1, 10)));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        Assert.All(await world.TasksAsync(), t => Assert.Equal(InterviewStatus.Open, t.Status));
        await world.Db.InterviewTasks.Where(t => t.ParticipantId == done.Id).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, InterviewStatus.Done).SetProperty(t => t.CompletedOn, new DateOnly(2026, 3, 4))
            .SetProperty(t => t.DurationMinutes, 45).SetProperty(t => t.Mode, InterviewMode.InPerson));
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
        await world.Jobs.Expire.RunAsync(CancellationToken.None);

        await using var dataSource = database.CreateDataSource();
        var report = (await ResponseReport.ComputeAsync(dataSource, world.Study.Code, CancellationToken.None))!;
        var row = report.Rows.Single(r => r.Wave == "int12" && r.Cohort is null);
        Assert.Equal((3, 1, 1, 2, 1), (row.Eligible, row.Completed, row.Missed, row.Invited, row.NotInvited));
        Assert.Equal(0.5, row.ResponseRate);
        Assert.Equal(InterviewStatus.Missed, (await world.TasksAsync()).Single(t => t.ParticipantId == missed.Id).Status);
        Assert.Equal(InterviewStatus.Open, (await world.TasksAsync()).Single(t => t.ParticipantId == ahead.Id).Status);
    }

    private static async Task SetCourseEndAsync(InterviewWorld world, int participantId, DateOnly date)
    {
        await world.Db.ParticipantAnchors.Where(a => a.ParticipantId == participantId && a.Name == "course_end")
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Date, date));
        await world.Db.Participants.Where(p => p.Id == participantId).ExecuteUpdateAsync(s => s.SetProperty(p => p.ScheduleStale, true));
    }
}
