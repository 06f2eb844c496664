using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>The interviewer's reminder: sent on the wave's day before the window closes, once, and only for an open, assigned task.</summary>
public sealed class InterviewerReminderTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task The_interviewer_is_reminded_once_seven_days_before_the_window_closes_and_a_second_run_sends_nothing()
    {
        await using var world = await InterviewWorld.CreateAsync(database);
        var p = await world.ParticipantAsync("P-rem-1", new DateOnly(2027, 3, 1));
        var done = await world.ParticipantAsync("P-rem-2", new DateOnly(2027, 3, 1));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var interviewer = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await world.Db.InterviewTasks.Where(t => t.StudyId == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.InterviewerId, interviewer.Id));
        await world.Db.InterviewTasks.Where(t => t.ParticipantId == done.Id).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, InterviewStatus.Done).SetProperty(t => t.CompletedOn, new DateOnly(2028, 3, 1))
            .SetProperty(t => t.DurationMinutes, 40).SetProperty(t => t.Mode, InterviewMode.Phone));
        var task = (await world.TasksAsync()).Single(t => t.ParticipantId == p.Id);
        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) });
        var job = new InterviewerReminderJob(world.DataSource, transport, Options.Create(new PublicLinkOptions { PublicBaseUrl = "https://study.example.org" }), Options.Create(new MailOptions()),
            world.Clock, NullLogger<InterviewerReminderJob>.Instance);
        var before = sink.Messages().Count;

        // A minute before the reminder day (7 days before the close): nothing.
        world.Clock.SetUtcNow(new DateTimeOffset(task.ClosesAt.AddDays(-7).AddMinutes(-1), TimeSpan.Zero));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        world.Clock.SetUtcNow(new DateTimeOffset(task.ClosesAt.AddDays(-7), TimeSpan.Zero));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        world.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        var messages = sink.Messages().Skip(before).ToList();
        var message = Assert.Single(messages);
        Assert.Equal(interviewer.Email, message.To.Mailboxes.Single().Address);
        Assert.Contains("P-rem-1", message.Subject, StringComparison.Ordinal);
        Assert.Contains($"https://study.example.org/studies/{world.Study.Id}/interviews/{task.Id}", message.TextBody, StringComparison.Ordinal);
        Assert.NotNull((await world.TasksAsync()).Single(t => t.Id == task.Id).ReminderSentAt);
    }

    [Fact]
    public async Task A_reminder_the_relay_refused_for_now_is_sent_by_the_next_run_and_then_never_again()
    {
        await using var world = await InterviewWorld.CreateAsync(database);
        var p = await world.ParticipantAsync("P-rem-3", new DateOnly(2027, 3, 1));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var interviewer = await StaffSession.CreateUserAsync(world.Db, StaffRole.Admin);
        await world.Db.InterviewTasks.Where(t => t.ParticipantId == p.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.InterviewerId, interviewer.Id));
        var task = (await world.TasksAsync()).Single(t => t.ParticipantId == p.Id);
        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) });
        var job = new InterviewerReminderJob(world.DataSource, transport, Options.Create(new PublicLinkOptions()), Options.Create(new MailOptions()), world.Clock, NullLogger<InterviewerReminderJob>.Instance);
        world.Clock.SetUtcNow(new DateTimeOffset(task.ClosesAt.AddDays(-3), TimeSpan.Zero));
        sink.FailNextData((451, "4.3.0 try again later"));

        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        Assert.Null((await world.TasksAsync()).Single(t => t.Id == task.Id).ReminderSentAt);
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == interviewer.Email));
    }
}
