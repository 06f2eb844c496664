using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Protocol;

public sealed class ProtocolUploadTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_researcher_uploads_a_good_protocol_and_a_bad_one_sees_every_problem_with_its_path()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, app, user.Email);
        var code = "upload-" + Guid.NewGuid().ToString("N")[..8];

        await page.GotoAsync(new Uri(app.BaseAddress, "/protocol/upload").ToString());
        await ConsoleBrowser.AssertAccessibleAsync(page, "protocol upload");
        var bad = MiniProtocol.With(d =>
        {
            d["study"]!["code"] = code;
            d["waves"]![0]!["window"]!["closes_days"] = -100;
        });
        await UploadAsync(page, bad, shows: "#problems");
        var problems = await page.Locator("#problems li").AllInnerTextsAsync();
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.StartsWith("$.", p, StringComparison.Ordinal));
        Assert.False(await db.Studies.AnyAsync(s => s.Code == code));
        await ConsoleBrowser.AssertAccessibleAsync(page, "protocol upload with problems");

        // The upload shows what the file would do and stores nothing; applying imports it.
        await UploadAsync(page, MiniProtocol.With(d => d["study"]!["code"] = code), shows: "#preview");
        Assert.Contains($"created study '{code}'", await page.Locator("#protocol-changes").InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await db.Studies.AnyAsync(s => s.Code == code));
        await ConsoleBrowser.AssertAccessibleAsync(page, "protocol upload preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply this protocol" }).ClickAsync();
        await page.Locator("#import-result").WaitForAsync();
        Assert.Contains("protocol version 1 is current", await page.Locator("#import-result").InnerTextAsync(), StringComparison.Ordinal);
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Code == code);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "protocol.import" && a.StudyId == study.Id && a.StaffUserId == user.Id));

        // History and the preview of every instrument open for the new study.
        await page.GotoAsync(new Uri(app.BaseAddress, $"/studies/{study.Id}/protocol").ToString());
        var previews = await page.Locator("#instruments a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.NotEmpty(previews);
        foreach (var preview in previews)
        {
            var response = await page.GotoAsync(new Uri(app.BaseAddress, preview).ToString());
            Assert.Equal(200, response?.Status);
            Assert.True(await page.Locator(".preview h2").CountAsync() == 1);
        }
        await ConsoleBrowser.AssertAccessibleAsync(page, "instrument preview");
    }

    private static async Task UploadAsync(IPage page, string json, string shows)
    {
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "study.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(json) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and show the changes" }).ClickAsync();
        // The answer's own element, not the load state: a wait for the load state begun after the
        // click could miss the answer's navigation on a loaded machine (seen once: 90 s, no event).
        await page.Locator(shows).WaitForAsync();
    }
}
