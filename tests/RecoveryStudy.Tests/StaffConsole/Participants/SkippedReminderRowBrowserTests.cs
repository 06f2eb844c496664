using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Participants;

/// <summary>
/// In a browser: after downtime over two reminder days, the participant's email list shows
/// reminder 1 as skipped with its reason before reminder 2 sent, never a gap in the numbering.
/// The data come from the real plan and dispatch jobs, as in Scheduling/SkippedStepTests.
/// </summary>
public sealed class SkippedReminderRowBrowserTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task The_email_list_shows_a_skipped_reminder_with_its_reason_before_the_next_one()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3, 7, 11]);
        var participant = await world.ParticipantAsync("P-down");
        await world.Jobs.TickAsync();
        world.Clock.SetUtcNow(StudyBuilder.Warsaw(2027, 3, 10, 10));
        await world.Jobs.TickAsync();
        world.Clock.Advance(TimeSpan.FromHours(3));
        await world.Jobs.TickAsync();
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, app, researcher.Email);

        await page.GotoAsync(new Uri(app.BaseAddress, $"/participants/{participant.Id}").ToString());

        var rows = await page.Locator("table:has(caption:text-is('Email for wave post')) tbody tr").AllAsync();
        var cells = new List<string[]>();
        foreach (var row in rows)
        {
            cells.Add([.. (await row.Locator("td").AllInnerTextsAsync()).Select(t => t.Trim())]);
        }
        Assert.Equal(["invitation", "reminder 1", "reminder 2", "reminder 3"], cells.Select(c => c[0]));
        var skipped = cells[1];
        Assert.Equal(MessageStatus.Skipped, skipped[1]);
        Assert.Equal("–", skipped[3]);
        Assert.Contains("reminder 2 was due too", skipped[5], StringComparison.Ordinal);
        Assert.Equal(MessageStatus.Sent, cells[2][1]);
        Assert.True(await page.Locator("tr:has-text('reminder 1') .status-skipped").IsVisibleAsync());
    }
}
