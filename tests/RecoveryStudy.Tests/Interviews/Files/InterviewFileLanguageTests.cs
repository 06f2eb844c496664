using System.Net;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Interviews.Files;

/// <summary>A Polish researcher reads the upload's refusal and its notice in Polish, not only the page's labels.</summary>
public sealed class InterviewFileLanguageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_polish_researcher_is_told_in_polish_that_a_file_is_too_large_and_that_one_was_stored()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-file-pl");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        researcher.Language = "pl";
        await world.Db.SaveChangesAsync();
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings(maxBytes: 100_000));
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var files = InterviewFileWorld.FilesPath(world, task);

        // Counted while it streams, then refused before a byte is read: both say it in Polish.
        foreach (var size in new[] { 100_001, 2_000_000 })
        {
            var refused = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "long.txt", InterviewFileWorld.Transcript(size, "TOO-LONG"));
            Assert.Contains("Plik jest większy niż 97.7 KB, czyli największy dopuszczalny rozmiar pliku wywiadu. Nic nie zostało zapisane.",
                WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        var stored = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "fits.txt", InterviewFileWorld.Transcript(1_000, "FITS"));
        Assert.Equal(HttpStatusCode.Redirect, stored.StatusCode);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(files, UriKind.Relative)));
        Assert.Contains("Zapisano plik (transkrypcja) fits.txt (", page, StringComparison.Ordinal);
        Assert.Contains("1 plik (nagrania: 0, transkrypcje: 1).", page, StringComparison.Ordinal);
    }
}
