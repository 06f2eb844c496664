using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Enrollment;

public sealed class EnrollmentUploadTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Header = "code,email,name,language,time_zone,role,cohort,anchor_course_start,anchor_course_end";

    [Fact]
    public async Task A_bad_roster_imports_nothing_and_lists_every_problem_and_a_good_one_enrolls_everyone()
    {
        await using var db = database.CreateContext();
        var code = "enroll-" + Guid.NewGuid().ToString("N")[..8];
        var imported = await new ProtocolImporter(db, TimeProvider.System).ImportAsync(MiniProtocol.With(d => d["study"]!["code"] = code), Actor.Cli, CancellationToken.None);
        Assert.True(imported.Succeeded);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, app, user.Email);
        await page.GotoAsync(new Uri(app.BaseAddress, $"/studies/{imported.StudyId}/enroll").ToString());
        await ConsoleBrowser.AssertAccessibleAsync(page, "enrollment upload");

        var bad = Header + "\nP-1,a@example.org,A,en,,trainee,ed-1,2026-13-40,\nP-2,,B,en,,trainee,ed-1,,\nP-3,c@example.org,C,en,,trainee,ed-1,,\n";
        await UploadAsync(page, bad, shows: "#problems");
        var problems = await page.Locator("#problems li").AllInnerTextsAsync();
        Assert.True(problems.Count >= 2, string.Join("\n", problems));
        Assert.Contains(problems, p => p.StartsWith("Line 2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Line 3", StringComparison.Ordinal));
        Assert.Equal(0, await db.Participants.CountAsync(p => p.StudyId == imported.StudyId));
        await ConsoleBrowser.AssertAccessibleAsync(page, "enrollment upload with problems");

        var good = Header + "\nP-1,a@example.org,A,en,,trainee,ed-1,2026-03-02,\nP-2,b@example.org,B,en,,trainee,ed-1,,\n";
        await UploadAsync(page, good, shows: "#enrolled");
        Assert.Contains("2 new", await page.Locator("#enrolled").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await db.Participants.CountAsync(p => p.StudyId == imported.StudyId));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.StudyId == imported.StudyId && a.StaffUserId == user.Id && a.Action.StartsWith("participant")));
    }

    private static async Task UploadAsync(IPage page, string csv, string shows)
    {
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "roster.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and enroll" }).ClickAsync();
        // The answer's own element, not the load state: a wait for the load state begun after the
        // click could miss the answer's navigation on a loaded machine (seen once: 90 s, no event).
        await page.Locator(shows).WaitForAsync();
    }
}
