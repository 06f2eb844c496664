using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Interviews.Files;

/// <summary>Master key rotation: after a rewrap, files download with the new key alone.</summary>
public sealed class InterviewFileRewrapTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task After_a_rewrap_a_file_downloads_without_the_old_master_key()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-file-r");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        var files = InterviewFileWorld.FilesPath(world, task);
        var content = InterviewFileWorld.Transcript(5000, "ROTATE");
        await using (var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings()))
        {
            using var client = await StaffSession.SignInAsync(app, researcher.Email);
            Assert.Equal(HttpStatusCode.Redirect, (await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "r.txt", content)).StatusCode);
        }
        var newKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var both = new InterviewFileOptions { FileKeys = new() { ["test1"] = InterviewFileWorld.MasterKey, ["k2"] = newKey }, FileKeyId = "k2" };

        Assert.True(await InterviewFileRewrap.RunAsync(world.Db, both, TimeProvider.System, CancellationToken.None) >= 1);
        Assert.Equal(0, await InterviewFileRewrap.RunAsync(world.Db, both, TimeProvider.System, CancellationToken.None));

        var stored = await world.Db.InterviewFiles.AsNoTracking().SingleAsync(f => f.TaskId == task.Id);
        Assert.Equal("k2", stored.KeyId);
        var onlyNew = new Dictionary<string, string?> { ["Interviews:FileKeys:k2"] = newKey, ["Interviews:FileKeyId"] = "k2" };
        await using var after = await TestApp.StartAsync(database.ConnectionString, onlyNew);
        using var second = await StaffSession.SignInAsync(after, researcher.Email);
        var download = await second.GetAsync(new Uri($"{files}/{stored.Id}", UriKind.Relative));
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
    }
}
