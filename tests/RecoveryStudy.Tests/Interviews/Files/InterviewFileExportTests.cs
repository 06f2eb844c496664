using System.Net;
using System.Text;
using Parquet;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Interviews.Files;

/// <summary>Interview files never leave through a dataset: no export format carries a file's name or content.</summary>
public sealed class InterviewFileExportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task No_export_format_of_a_study_with_interview_files_holds_a_file_name_or_content()
    {
        var (world, task) = await InterviewFileWorld.TaskAsync(database, "P-file-x");
        await using var _ = world;
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings());
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var files = InterviewFileWorld.FilesPath(world, task);
        var upload = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "transcript-FILENAME-MARK.txt", InterviewFileWorld.Transcript(3000, "CONTENT-MARK"));
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        await StaffSession.PostFormAsync(client, $"/studies/{world.Study.Id}/interviews/{task.Id}?handler=Complete",
            new() { ["CompletedOn"] = "2026-03-04", ["DurationMinutes"] = "40", ["Mode"] = "phone" }, $"/studies/{world.Study.Id}/interviews/{task.Id}");
        var data = $"/studies/{world.Study.Id}/data";

        var downloads = new List<(string What, Dictionary<string, string> Fields)>();
        foreach (var (shape, wave) in new[] { ("long", ""), ("wide", "post"), ("wide-across", "") })
        {
            foreach (var format in new[] { "csv", "parquet" })
            {
                downloads.Add(($"{shape} {format}", new() { ["shape"] = shape, ["wave"] = wave, ["format"] = format, ["download"] = "table" }));
            }
        }
        foreach (var document in new[] { "codebook", "r", "spss", "stata" })
        {
            downloads.Add((document, new() { ["shape"] = "long", ["format"] = "csv", ["download"] = document }));
        }
        foreach (var (what, fields) in downloads)
        {
            var response = await StaffSession.PostFormAsync(client, data, fields);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: {(int)response.StatusCode}");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var text = fields["format"] == "parquet" && fields["download"] == "table" ? await ParquetTextAsync(bytes) : Encoding.UTF8.GetString(bytes);
            Assert.Contains("P-file-x", text + (fields["download"] == "table" ? "" : "P-file-x"), StringComparison.Ordinal);
            foreach (var mark in new[] { "FILENAME-MARK", "CONTENT-MARK", "transcript-", ".txt" })
            {
                Assert.False(text.Contains(mark, StringComparison.Ordinal), $"{what} holds {mark}");
            }
        }
    }

    /// <summary>Parquet pages are compressed: its values are read back rather than its bytes searched.</summary>
    private static async Task<string> ParquetTextAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var text = new StringBuilder();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in reader.Schema.GetDataFields().Where(f => f.ClrType == typeof(string)))
            {
                var values = new string?[group.RowCount];
                await group.ReadAsync(field, values.AsMemory());
                text.AppendJoin('\n', values).Append('\n');
            }
        }
        return text.ToString();
    }
}
