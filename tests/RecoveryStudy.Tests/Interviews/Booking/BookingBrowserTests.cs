using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.Interviews.Booking;

/// <summary>In Chromium: a participant opens the emailed booking link, books a time in their language and zone, changes it; the console's task page shows the booking.</summary>
public sealed partial class BookingBrowserTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task A_participant_books_a_time_from_the_link_changes_it_and_the_task_page_shows_the_booking()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-web-1", language: "pl");
        await using var _ = world;
        var first = await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 30), minutes: 60, mode: "video");
        var second = await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 25, 13, 0), minutes: 45, mode: "phone");
        Assert.Equal(1, await BookingWorld.Job(world, sink).RunAsync(CancellationToken.None));
        var email = sink.Messages().Single(m => m.To.Mailboxes.Any(a => a.Address == "p-bk-web-1@example.org"));
        var token = BookingLink().Match(email.TextBody ?? "").Groups[1].Value;
        await using var app = await TestApp.StartAsync(database.ConnectionString, configure: b => b.Services.AddSingleton<TimeProvider>(world.Clock));

        await using var participant = await Browser.NewContextAsync();
        var page = await participant.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/b/" + token).ToString());
        // The token leaves the address bar at once; the page speaks Polish and names the zone.
        Assert.EndsWith("/booking", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Umów termin rozmowy");
        await page.GetByLabel("24 lutego 2028, o godz. 10:30 (Europe/Warsaw), około 60 min, przez połączenie wideo").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Wybieram ten termin" }).ClickAsync();
        await Assertions.Expect(page.Locator("#booked")).ToContainTextAsync("24 lutego 2028, o godz. 10:30 (Europe/Warsaw)");
        await ConsoleBrowser.AssertAccessibleAsync(page, "booking page");
        Assert.NotNull((await world.Db.InterviewSlots.AsNoTracking().SingleAsync(s => s.Id == first.Id)).BookedAt);

        // Changed to the other time: the first is free again, one booking holds.
        await page.GetByLabel("25 lutego 2028, o godz. 13:00 (Europe/Warsaw), około 45 min, telefonicznie").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Wybieram ten termin" }).ClickAsync();
        await Assertions.Expect(page.Locator("#booked")).ToContainTextAsync("25 lutego 2028, o godz. 13:00");
        var booked = await world.Db.InterviewSlots.AsNoTracking().Where(s => s.InterviewTaskId == task.Id && s.BookedAt != null).Select(s => s.Id).ToListAsync();
        Assert.Equal([second.Id], booked);

        await using var console = await Browser.NewContextAsync();
        var staff = await console.NewPageAsync();
        await ConsoleBrowser.SignInAsync(staff, app, interviewer.Email);
        await staff.GotoAsync(new Uri(app.BaseAddress, $"/studies/{world.Study.Id}/interviews/{task.Id}").ToString());
        await Assertions.Expect(staff.Locator("#booked-time")).ToContainTextAsync("2028-02-25 13:00 (Europe/Warsaw), 45 minutes, phone");
        await staff.GotoAsync(new Uri(app.BaseAddress, $"/studies/{world.Study.Id}/interviews?Mine=true").ToString());
        await Assertions.Expect(staff.Locator("#interview-tasks")).ToContainTextAsync("2028-02-25 13:00 (Europe/Warsaw)");

        // Cancelled by the participant: nothing booked, both times offered again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Odwołaj termin" }).ClickAsync();
        await Assertions.Expect(page.Locator("#booking-notice")).ToBeVisibleAsync();
        Assert.False(await world.Db.InterviewSlots.AnyAsync(s => s.InterviewTaskId == task.Id && s.BookedAt != null));

        // A short confirmation in Polish, and a notice to the interviewer: each once.
        await BookingWorld.Job(world, sink).RunAsync(CancellationToken.None);
        await BookingWorld.Job(world, sink).RunAsync(CancellationToken.None);
        var confirmation = Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == "p-bk-web-1@example.org")
            && (m.Subject ?? "").Contains("potwierdzenie odwołania terminu", StringComparison.Ordinal));
        Assert.Contains("piątek, 25 lutego 2028, godz. 13:00 (Europe/Warsaw)", confirmation.TextBody ?? "", StringComparison.Ordinal);
        Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == interviewer.Email) && (m.TextBody ?? "").Contains("by the participant", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"https://study\.example\.org/b/([A-Za-z0-9_-]+)")]
    private static partial Regex BookingLink();
}
