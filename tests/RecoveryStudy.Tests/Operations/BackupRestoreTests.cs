using System.Net;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Pages.Survey;

namespace RecoveryStudy.Tests.Operations;

/// <summary>
/// ops/backup of a study with answers, ops/restore into a new PostgreSQL cluster: the same
/// exports byte for byte, the same rows, and participant links and sessions that still work.
/// </summary>
public sealed class BackupRestoreTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"rs-backup-test-{Guid.NewGuid():N}");

    private string Backup => Path.Combine(folder, "backup");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Restored_into_a_new_cluster_the_exports_are_identical_and_links_and_sessions_still_work()
    {
        string study;
        SurveyWorld survey;
        await using (var db = database.CreateContext())
        {
            study = (await AnalystWorld.CreateAsync(db)).Study.Code;
            survey = await SurveyWorld.CreateAsync(db);
        }
        string sessionCookie;
        await using (var app = await TestApp.StartAsync(database.ConnectionString))
        {
            sessionCookie = await OpenLinkAsync(app, survey.SurveyToken);
            Assert.Contains(survey.Study.Title["en"], await SurveyPageAsync(app, sessionCookie));
        }
        var exports = await ExportsAsync(database.ConnectionString, study);
        var rows = await TableSnapshot.TakeAsync(database.ConnectionString);
        Assert.NotEqual("0:", rows["data_protection_keys"]);

        var backup = await OpsScript.RunAsync("backup", database.ConnectionString, Backup);
        Assert.True(backup.ExitCode == 0, backup.Output);

        await using var cluster = await ScratchCluster.StartAsync();
        var restored = await cluster.CreateDatabaseAsync("restored");
        var restore = await OpsScript.RunAsync("restore", restored, Backup);
        Assert.True(restore.ExitCode == 0, restore.Output);

        Assert.Equal(rows, await TableSnapshot.TakeAsync(restored));
        var again = await ExportsAsync(restored, study);
        Assert.All(exports, e => Assert.True(e.Value.SequenceEqual(again[e.Key]), $"the {e.Key} export differs after the restore"));
        await using (var app = await TestApp.StartAsync(restored))
        {
            Assert.DoesNotContain(survey.Study.Title["en"], await SurveyPageAsync(app, cookie: null));
            // A session opened before the backup: only readable with the restored key ring.
            Assert.Contains(survey.Study.Title["en"], await SurveyPageAsync(app, sessionCookie));
            var fresh = await OpenLinkAsync(app, survey.SurveyToken);
            Assert.Contains(survey.Study.Title["en"], await SurveyPageAsync(app, fresh));
        }
    }

    [Fact]
    public async Task Restore_refuses_a_damaged_backup_and_a_database_that_is_not_empty()
    {
        var backup = await OpsScript.RunAsync("backup", database.ConnectionString, Backup);
        Assert.True(backup.ExitCode == 0, backup.Output);
        var target = await SharedPostgres.CreateEmptyDatabaseAsync();
        try
        {
            var dump = Path.Combine(Backup, "database.dump");
            var bytes = await File.ReadAllBytesAsync(dump);
            bytes[bytes.Length / 2] ^= 0xFF;
            await File.WriteAllBytesAsync(dump + ".damaged", bytes);
            File.Move(dump, dump + ".good");
            File.Move(dump + ".damaged", dump);
            var damaged = await OpsScript.RunAsync("restore", target, Backup);
            Assert.NotEqual(0, damaged.ExitCode);
            Assert.Contains("checksum mismatch", damaged.Output);
            Assert.Empty(await TableSnapshot.TakeAsync(target));

            File.Move(dump + ".good", dump, overwrite: true);
            var first = await OpsScript.RunAsync("restore", target, Backup);
            Assert.True(first.ExitCode == 0, first.Output);
            var second = await OpsScript.RunAsync("restore", target, Backup);
            Assert.NotEqual(0, second.ExitCode);
            Assert.Contains("is not empty", second.Output);
            var forced = await OpsScript.RunAsync("restore", target, Backup, "--force");
            Assert.True(forced.ExitCode == 0, forced.Output);
            Assert.Equal(await TableSnapshot.TakeAsync(database.ConnectionString), await TableSnapshot.TakeAsync(target));
        }
        finally
        {
            await SharedPostgres.DropDatabaseAsync(target);
        }
    }

    /// <summary>GET /s/{token}: the redirect to /survey and the session cookie it sets.</summary>
    private static async Task<string> OpenLinkAsync(TestApp app, string token)
    {
        using var client = app.CreateClient(followRedirects: false);
        using var response = await client.GetAsync("/s/" + token);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ParticipantSessions.SurveyCookie + "=", StringComparison.Ordinal));
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static async Task<string> SurveyPageAsync(TestApp app, string? cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/survey");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The long table, the baseline's wide table and its codebook, as the CLI writes them.</summary>
    private static async Task<Dictionary<string, byte[]>> ExportsAsync(string connectionString, string study)
    {
        await using var db = DatabaseSetup.CreateContext(connectionString);
        await using var dataSource = DatabaseSetup.CreateDataSource(connectionString);
        var layout = (await StudyLayout.LoadAsync(db, study, CancellationToken.None))!;
        var files = new Dictionary<string, byte[]>();
        foreach (var (name, request, content) in new[]
        {
            ("long", new ExportRequest(TableKind.Long), DatasetFile.TableContent),
            ("wide", new ExportRequest(TableKind.Wide, "baseline"), DatasetFile.TableContent),
            ("codebook", new ExportRequest(TableKind.Wide, "baseline"), DatasetFile.Codebook),
        })
        {
            var (file, error) = DatasetFile.Create(layout, request, content, parquet: false);
            Assert.True(file is not null, error);
            using var stream = new MemoryStream();
            await file.WriteAsync(dataSource, layout, request.Filter, stream, null, CancellationToken.None);
            files[name] = stream.ToArray();
            Assert.True(files[name].Length > 100, $"the {name} export is empty");
        }
        return files;
    }
}
