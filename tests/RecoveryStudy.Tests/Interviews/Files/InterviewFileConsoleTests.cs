using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.Interviews.Files;

/// <summary>Interview files in the console: encrypted round trip, size limit, who sees and downloads what, audit.</summary>
public sealed class InterviewFileConsoleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task An_uploaded_file_downloads_byte_for_byte_while_the_database_holds_only_ciphertext_and_the_download_is_audited()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-file-1");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings());
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var files = InterviewFileWorld.FilesPath(world, task);
        // Three chunks and a bit: the order and the last chunk's end are both exercised.
        var content = InterviewFileWorld.Transcript(3 * InterviewFileCipher.ChunkBytes + 777, "PLAINTEXT-MARKER-7c1");

        var upload = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "interview P-file-1.txt", content);

        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var stored = await world.Db.InterviewFiles.AsNoTracking().SingleAsync(f => f.TaskId == task.Id);
        Assert.Equal((content.LongLength, 4, "interview P-file-1.txt", InterviewFileKind.Transcript, researcher.Id),
            (stored.SizeBytes, stored.ChunkCount, stored.FileName, stored.Kind, stored.UploadedBy));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(content), stored.Sha256);
        var chunks = await world.Db.InterviewFileChunks.AsNoTracking().Where(c => c.FileId == stored.Id).OrderBy(c => c.Seq).ToListAsync();
        Assert.Equal(4, chunks.Count);
        var marker = Encoding.UTF8.GetBytes("PLAINTEXT-MARKER-7c1");
        Assert.All(chunks, c => Assert.Equal(-1, c.Data.AsSpan().IndexOf(marker)));
        Assert.All(chunks, c => Assert.Equal(-1, c.Data.AsSpan().IndexOf(content.AsSpan(0, 64))));
        await ConsoleActions.AssertAuditedAsync(world.Db, "interview.file.upload", stored.Id);

        var page = await client.GetStringAsync(new Uri(files, UriKind.Relative));
        Assert.Contains("interview P-file-1.txt", page, StringComparison.Ordinal);
        var download = await client.GetAsync(new Uri($"{files}/{stored.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("text/plain", download.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", download.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var audit = await world.Db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "interview.file.download" && a.TargetId == stored.Id.ToString());
        Assert.Equal((researcher.Id, world.Study.Id), (audit.StaffUserId, audit.StudyId));
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_with_a_message_naming_the_limit_and_nothing_is_stored()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-file-2");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings(maxBytes: 100_000));
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var files = InterviewFileWorld.FilesPath(world, task);

        // Inside the request's envelope, so it is read and counted as it streams; then far beyond it, refused before reading.
        foreach (var size in new[] { 100_001, 2_000_000 })
        {
            var response = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "long.txt", InterviewFileWorld.Transcript(size, "TOO-LONG"));

            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.RequestEntityTooLarge, $"{size}: {(int)response.StatusCode}");
            Assert.Contains("The file is larger than 97.7 KB, the most an interview file may be. Nothing was stored.",
                WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }
        Assert.False(await world.Db.InterviewFiles.AnyAsync(f => f.TaskId == task.Id));
        Assert.Equal(0, await world.Db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM interview_file_chunks c WHERE NOT EXISTS (SELECT 1 FROM interview_files f WHERE f.id = c.file_id)").SingleAsync());
        Assert.False(await world.Db.AuditEntries.AnyAsync(a => a.Action == "interview.file.upload" && a.StudyId == world.Study.Id));

        var exact = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "exact.txt", InterviewFileWorld.Transcript(100_000, "FITS"));
        Assert.Equal(HttpStatusCode.Redirect, exact.StatusCode);
    }

    [Fact]
    public async Task A_file_of_the_wrong_type_or_without_the_anti_forgery_field_is_refused_and_nothing_is_stored()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-file-3");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings());
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var files = InterviewFileWorld.FilesPath(world, task);

        var text = InterviewFileWorld.Transcript(500, "NOT-AUDIO");
        var renamed = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Audio, "recording.mp3", text);
        Assert.Contains("\"recording.mp3\" does not look like a .mp3 file", WebUtility.HtmlDecode(await renamed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var wrongKind = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Audio, "notes.txt", text);
        Assert.Contains("A file of kind audio must end in", WebUtility.HtmlDecode(await wrongKind.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var forged = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "notes.txt", text, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        Assert.False(await world.Db.InterviewFiles.AnyAsync(f => f.TaskId == task.Id));
    }

    [Fact]
    public async Task An_analyst_sees_that_a_file_exists_but_not_its_name_and_is_refused_its_download_and_the_upload()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-file-4");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        var analyst = await StaffSession.CreateUserAsync(world.Db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings());
        var files = InterviewFileWorld.FilesPath(world, task);
        using (var researcherClient = await StaffSession.SignInAsync(app, researcher.Email))
        {
            var upload = await InterviewFileWorld.UploadAsync(researcherClient, files, InterviewFileKind.Audio, "anna-kowalska.wav", Wav(4096));
            Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        }
        var stored = await world.Db.InterviewFiles.AsNoTracking().SingleAsync(f => f.TaskId == task.Id);
        using var client = await StaffSession.SignInAsync(app, analyst.Email);

        var page = await client.GetAsync(new Uri(files, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("1 file (audio: 1, transcript: 0)", html, StringComparison.Ordinal);
        Assert.Contains("4 KB", html, StringComparison.Ordinal);
        Assert.DoesNotContain("anna-kowalska", html, StringComparison.Ordinal);
        Assert.DoesNotContain(stored.Id.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"file\"", html, StringComparison.Ordinal);
        var download = await client.GetAsync(new Uri($"{files}/{stored.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
        using var form = new MultipartFormDataContent { { new StringContent(InterviewFileKind.Audio), "Kind" } };
        var post = await client.PostAsync(new Uri(files + "?handler=Upload", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.False(await world.Db.AuditEntries.AnyAsync(a => a.Action == "interview.file.download" && a.StaffUserId == analyst.Id));
        Assert.Equal(1, await world.Db.InterviewFiles.CountAsync(f => f.TaskId == task.Id));
    }

    [Fact]
    public async Task A_researcher_deletes_a_file_with_its_chunks_and_the_deletion_is_audited()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-file-5");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings());
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var files = InterviewFileWorld.FilesPath(world, task);
        await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "t.txt", InterviewFileWorld.Transcript(2000, "DEL"));
        var stored = await world.Db.InterviewFiles.AsNoTracking().SingleAsync(f => f.TaskId == task.Id);

        var delete = await StaffSession.PostFormAsync(client, files + "?handler=Delete", new() { ["FileId"] = stored.Id.ToString() }, files);

        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.False(await world.Db.InterviewFiles.AnyAsync(f => f.Id == stored.Id));
        Assert.False(await world.Db.InterviewFileChunks.AnyAsync(c => c.FileId == stored.Id));
        await ConsoleActions.AssertAuditedAsync(world.Db, "interview.file.delete", stored.Id);
    }

    /// <summary>A silent WAV file of about <paramref name="bytes"/> bytes (a RIFF/WAVE header and zeros).</summary>
    internal static byte[] Wav(int bytes)
    {
        var wav = new byte[bytes];
        "RIFF"u8.CopyTo(wav);
        BitConverter.GetBytes(bytes - 8).CopyTo(wav, 4);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        return wav;
    }
}
