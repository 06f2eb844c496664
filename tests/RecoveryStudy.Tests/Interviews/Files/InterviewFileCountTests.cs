using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Pages;

namespace RecoveryStudy.Tests.Interviews.Files;

/// <summary>The interviewer task list shows how many files each task has (counted in one grouped query for the whole list).</summary>
public sealed partial class InterviewFileCountTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_task_list_shows_the_number_of_files_of_each_task()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-count-1");
        await using var _ = world;
        await world.ParticipantAsync("P-count-2", new DateOnly(2025, 3, 1), enrolledOn: new DateOnly(2025, 1, 10));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings());
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var files = InterviewFileWorld.FilesPath(world, task);
        Assert.Equal(HttpStatusCode.Redirect, (await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "a.txt", InterviewFileWorld.Transcript(1000, "A"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "b.txt", InterviewFileWorld.Transcript(2000, "B"))).StatusCode);

        var list = await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}/interviews", UriKind.Relative));

        var counts = TaskRow().Matches(list).ToDictionary(m => m.Groups["code"].Value, m => m.Groups["files"].Value);
        Assert.Equal(new Dictionary<string, string> { ["P-count-1"] = "2", ["P-count-2"] = "0" }, counts);

        // The task page's files part shows upload times in the study's zone, the one its navigation holds.
        var uploaded = await world.Db.InterviewFiles.AsNoTracking().Where(f => f.TaskId == task.Id).Select(f => f.UploadedAt).ToListAsync();
        var taskPage = await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}/interviews/{task.Id}", UriKind.Relative));
        Assert.All(uploaded, at => Assert.Contains(ZonedTime.In(world.Study.TimeZone).At(at), taskPage, StringComparison.Ordinal));
        Assert.Equal("Europe/Warsaw", world.Study.TimeZone);
    }

    [GeneratedRegex("""<tr>\s*<td>\s*<a [^>]*>(?<code>P-count-\d)</a>.*?<td class="file-count">(?<files>\d+)</td>""", RegexOptions.Singleline)]
    private static partial Regex TaskRow();
}
