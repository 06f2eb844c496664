using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews.Booking;

/// <summary>The interviewer's calendar feed shows a booked interview as a timed event (UTC), other open tasks still as all-day windows.</summary>
public sealed partial class BookingCalendarTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_booked_interview_is_a_timed_event_in_the_feed_and_an_unbooked_task_stays_an_all_day_window()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-cal-1");
        await using var _ = world;
        var unbooked = await world.ParticipantAsync("P-bk-cal-2", new DateOnly(2027, 3, 1));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        await world.Db.InterviewTasks.Where(t => t.ParticipantId == unbooked.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.InterviewerId, interviewer.Id));
        var other = (await world.TasksAsync()).Single(t => t.ParticipantId == unbooked.Id);
        await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 30), minutes: 60, booked: true);
        await BookingWorld.SlotAsync(world, other, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 12, 0));

        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, interviewer.Email);
        var created = await StaffSession.PostFormAsync(client, "/account/calendar?handler=Create", [], "/account/calendar");
        var url = new Uri(CalendarUrl().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value);
        using var anonymous = app.CreateClient(followRedirects: false);
        var feed = (await anonymous.GetStringAsync(new Uri(url.PathAndQuery, UriKind.Relative))).Replace("\r\n ", "", StringComparison.Ordinal);

        var events = feed.Split("BEGIN:VEVENT\r\n").Skip(1).ToList();
        var booked = Assert.Single(events, e => e.Contains($"UID:interview-task-{task.Id}@", StringComparison.Ordinal));
        // 10:30 in Warsaw in February is 09:30 UTC.
        Assert.Contains("\r\nDTSTART:20280224T093000Z\r\nDTEND:20280224T103000Z\r\n", booked, StringComparison.Ordinal);
        Assert.DoesNotContain("VALUE=DATE", booked, StringComparison.Ordinal);
        Assert.Contains("TRANSP:OPAQUE", booked, StringComparison.Ordinal);
        var window = Assert.Single(events, e => e.Contains($"UID:interview-task-{other.Id}@", StringComparison.Ordinal));
        Assert.Contains("DTSTART;VALUE=DATE:20280216", window, StringComparison.Ordinal);
    }

    [GeneratedRegex("<code id=\"calendar-url\">([^<]+)</code>")]
    private static partial Regex CalendarUrl();
}
