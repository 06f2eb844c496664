using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>The interviewer's iCalendar feed: RFC 5545 that parses back, only their open tasks, a revoked URL answers 404.</summary>
public sealed partial class InterviewCalendarTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_feed_holds_the_interviewers_open_tasks_as_all_day_windows_and_a_revoked_url_answers_404()
    {
        await using var world = await InterviewWorld.CreateAsync(database);
        var mine = await world.ParticipantAsync("P-cal-1", new DateOnly(2027, 3, 1));
        var done = await world.ParticipantAsync("P-cal-2", new DateOnly(2027, 3, 1));
        var theirs = await world.ParticipantAsync("P-cal-3", new DateOnly(2027, 3, 1));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var interviewer = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        var colleague = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await world.Db.InterviewTasks.Where(t => t.ParticipantId == mine.Id || t.ParticipantId == done.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.InterviewerId, interviewer.Id));
        await world.Db.InterviewTasks.Where(t => t.ParticipantId == done.Id).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, InterviewStatus.Done).SetProperty(t => t.CompletedOn, new DateOnly(2028, 3, 1))
            .SetProperty(t => t.DurationMinutes, 40).SetProperty(t => t.Mode, InterviewMode.InPerson));
        await world.Db.InterviewTasks.Where(t => t.ParticipantId == theirs.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.InterviewerId, colleague.Id));
        var task = (await world.TasksAsync()).Single(t => t.ParticipantId == mine.Id);

        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, interviewer.Email);
        var created = await StaffSession.PostFormAsync(client, "/account/calendar?handler=Create", [], "/account/calendar");
        var url = new Uri(CalendarUrl().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value);
        Assert.Equal(1, await world.Db.CalendarFeedTokens.CountAsync(t => t.StaffUserId == interviewer.Id));
        Assert.DoesNotContain(await world.Db.CalendarFeedTokens.Select(t => t.Hash).ToListAsync(),
            h => Encoding.ASCII.GetString(h).Contains(url.Segments[^1], StringComparison.Ordinal));
        await ConsoleActionsAudit(world, "calendar.create", interviewer.Id);

        using var anonymous = app.CreateClient(followRedirects: false);
        var feed = await anonymous.GetAsync(new Uri(url.PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
        var events = Parse(await feed.Content.ReadAsStringAsync());
        var single = Assert.Single(events);
        Assert.Equal($"interview-task-{task.Id}", single["UID"].Split('@')[0]);
        // The window 16 February to 29 March 2028 inclusive: DTEND is the day after, as RFC 5545 says for dates.
        Assert.Equal(("20280216", "20280330"), (single["DTSTART;VALUE=DATE"], single["DTEND;VALUE=DATE"]));
        Assert.Contains("P-cal-1", single["SUMMARY"], StringComparison.Ordinal);

        // Revoked from the interviewer's page: the same URL now answers 404, like one that never existed.
        var revoke = await StaffSession.PostFormAsync(client, "/account/calendar?handler=Revoke", [], "/account/calendar");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(url.PathAndQuery, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/calendar/" + new string('A', 43) + ".ics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public void Long_lines_are_folded_at_75_octets_without_splitting_a_letter_and_text_is_escaped()
    {
        var code = "P-" + string.Concat(Enumerable.Repeat("ÆØÅæøå", 20));
        var text = InterviewCalendar.Write([new CalendarTask(7, "fact;peer,dk", code, "int24", new DateOnly(2028, 2, 29), new DateOnly(2028, 2, 15), new DateOnly(2028, 3, 28))],
            new DateTime(2028, 1, 1, 8, 0, 0, DateTimeKind.Utc), "study.example.org");

        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(text.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, line));
        var single = Assert.Single(Parse(text));
        Assert.Equal($"Interview int24 with {code} (fact\\;peer\\,dk)", single["SUMMARY"]);
        Assert.Equal("20280329", single["DTEND;VALUE=DATE"]);
    }

    /// <summary>A strict reader of what the feed uses: unfolds lines, checks BEGIN/END nesting, returns each VEVENT's properties.</summary>
    private static List<Dictionary<string, string>> Parse(string text)
    {
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", text, StringComparison.Ordinal);
        var lines = text.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var stack = new Stack<string>();
        var events = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            Assert.True(colon > 0, "not a content line: " + line);
            var (name, value) = (line[..colon], line[(colon + 1)..]);
            if (name == "BEGIN")
            {
                stack.Push(value);
                if (value == "VEVENT")
                {
                    events.Add(current = []);
                }
            }
            else if (name == "END")
            {
                Assert.Equal(stack.Pop(), value);
                current = null;
            }
            else if (current is not null)
            {
                current.Add(name, value);
            }
            else
            {
                Assert.Equal("VCALENDAR", stack.Peek());
            }
        }
        Assert.Empty(stack);
        Assert.All(events, e => Assert.True(e.ContainsKey("UID") && e.ContainsKey("DTSTAMP") && e.ContainsKey("DTSTART;VALUE=DATE"), "VEVENT lacks UID, DTSTAMP or DTSTART"));
        return events;
    }

    private static async Task ConsoleActionsAudit(InterviewWorld world, string action, int staffUserId) =>
        await StaffConsole.ConsoleActions.AssertAuditedAsync(world.Db, action, staffUserId);

    [GeneratedRegex("<code id=\"calendar-url\">([^<]+)</code>")]
    private static partial Regex CalendarUrl();
}
