using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.Interviews.Files;

/// <summary>The task page in Chromium: a researcher records a held interview and attaches its transcript.</summary>
public sealed class InterviewFileBrowserTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_researcher_records_a_completed_interview_with_its_transcript_on_the_task_page()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-file-b");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings());
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, app, researcher.Email);
        var taskPage = new Uri(app.BaseAddress, $"/studies/{world.Study.Id}/interviews/{task.Id}").ToString();
        await page.GotoAsync(taskPage);

        await page.GetByLabel("Date").FillAsync("2026-03-04");
        await page.GetByLabel("Duration (minutes)").FillAsync("50");
        await page.GetByLabel("video").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record as done" }).ClickAsync();
        await page.WaitForSelectorAsync("#task-status:text('done')");
        var transcript = InterviewFileWorld.Transcript(5000, "BROWSER-TRANSCRIPT");
        await page.GetByLabel("transcript (").CheckAsync();
        await page.GetByLabel("File (at most").SetInputFilesAsync(new FilePayload { Name = "p-file-b.txt", MimeType = "text/plain", Buffer = transcript });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

        await page.WaitForSelectorAsync("p.notice:has-text('Stored transcript file p-file-b.txt')");
        Assert.Equal(taskPage, page.Url);
        Assert.Equal("1 file (audio: 0, transcript: 1). Stored encrypted; never in exports.", await page.Locator("#interview-file-count").InnerTextAsync());
        await ConsoleBrowser.AssertAccessibleAsync(page, "interview-task-with-file");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "p-file-b.txt" }).ClickAsync());
        Assert.Equal("p-file-b.txt", download.SuggestedFilename);
        Assert.Equal(transcript, await File.ReadAllBytesAsync(await download.PathAsync()));

        var done = (await world.TasksAsync()).Single(t => t.Id == task.Id);
        Assert.Equal((InterviewStatus.Done, 50, InterviewMode.Video), (done.Status, done.DurationMinutes, done.Mode));
        Assert.Equal(1, await world.Db.InterviewFiles.CountAsync(f => f.TaskId == task.Id && f.Kind == InterviewFileKind.Transcript));
    }
}
