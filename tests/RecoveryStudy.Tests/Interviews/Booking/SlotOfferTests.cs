using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.Interviews.Booking;

/// <summary>Offering times on the console: inside the window, in the future, never overlapping the interviewer's other times; audited.</summary>
public sealed class SlotOfferTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static Dictionary<string, string> Offer(string start, string minutes = "60", string mode = InterviewMode.Video) =>
        new() { ["Start"] = start, ["DurationMinutes"] = minutes, ["Mode"] = mode };

    [Fact]
    public async Task A_time_outside_the_window_in_the_past_or_overlapping_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-slot-1");
        await using var _ = world;
        // A second task of the same interviewer: overlaps count across tasks.
        var other = await world.ParticipantAsync("P-bk-slot-2", new DateOnly(2027, 3, 1));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        await world.Db.InterviewTasks.Where(t => t.ParticipantId == other.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.InterviewerId, interviewer.Id));
        var otherTask = (await world.TasksAsync()).Single(t => t.ParticipantId == other.Id);
        await using var app = await TestApp.StartAsync(database.ConnectionString, configure: b => b.Services.AddSingleton<TimeProvider>(world.Clock));
        using var client = await StaffSession.SignInAsync(app, interviewer.Email);
        var page = $"/studies/{world.Study.Id}/interviews/{task.Id}/slots";

        async Task<string> Refused(string path, Dictionary<string, string> fields)
        {
            var response = await StaffSession.PostFormAsync(client, path + "?handler=Offer", fields, path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        }

        Assert.Contains("The start must be inside the window, 2028-02-16 to 2028-03-29.", await Refused(page, Offer("2028-03-30T10:00")), StringComparison.Ordinal);
        Assert.Contains("The start 2028-02-19 10:00 (Europe/Warsaw) is not in the future.", await Refused(page, Offer("2028-02-19T10:00")), StringComparison.Ordinal);
        Assert.Contains("Give the duration in whole minutes, from 5 to 480.", await Refused(page, Offer("2028-02-24T10:00", minutes: "0")), StringComparison.Ordinal);
        Assert.Contains("Give the start as a date and time in Europe/Warsaw", await Refused(page, Offer("24.02.2028 10:00")), StringComparison.Ordinal);
        Assert.Empty(await world.Db.InterviewSlots.Where(s => s.InterviewerId == interviewer.Id).ToListAsync());

        var accepted = await StaffSession.PostFormAsync(client, page + "?handler=Offer", Offer("2028-02-24T10:00"), page);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var otherPage = $"/studies/{world.Study.Id}/interviews/{otherTask.Id}/slots";
        Assert.Contains("has another time from 2028-02-24 10:00 (Europe/Warsaw) to 2028-02-24 11:00 (Europe/Warsaw) that overlaps this one.",
            await Refused(otherPage, Offer("2028-02-24T10:30", minutes: "30")), StringComparison.Ordinal);
        // Back to back is no overlap.
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSession.PostFormAsync(client, otherPage + "?handler=Offer", Offer("2028-02-24T11:00"), otherPage)).StatusCode);

        var slots = await world.Db.InterviewSlots.AsNoTracking().Where(s => s.InterviewerId == interviewer.Id).OrderBy(s => s.StartsAt).ToListAsync();
        Assert.Equal(2, slots.Count);
        // 10:00 in Warsaw in February is 09:00 UTC.
        Assert.Equal((new DateTime(2028, 2, 24, 9, 0, 0, DateTimeKind.Utc), 60, task.Id), (slots[0].StartsAt, slots[0].DurationMinutes, slots[0].InterviewTaskId));
        await ConsoleActions.AssertAuditedAsync(world.Db, "interview.slot_offer", task.Id);
        Assert.Contains("2028-02-24 10:00 (Europe/Warsaw)", await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}/interviews/{task.Id}/slots", UriKind.Relative)), StringComparison.Ordinal);
    }
}
