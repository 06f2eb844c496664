using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parquet;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews.Files;

/// <summary>Interview files never leave through a dataset: no export format carries a file's name or content.</summary>
public sealed class InterviewFileExportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task No_export_format_of_a_study_with_interview_files_holds_a_file_name_or_content()
    {
        // The analysts' study (answers in every shape), with an interview task for P-0001 that has a transcript.
        await using var db = database.CreateContext();
        var world = await AnalystWorld.CreateAsync(db);
        var participant = await db.Participants.SingleAsync(p => p.StudyId == world.Study.Id && p.Code == "P-0001");
        var task = new InterviewTask
        {
            StudyId = world.Study.Id, ParticipantId = participant.Id, WaveId = world.Waves.Values.First().Id, DueDate = new DateOnly(2026, 3, 1),
            OpensOn = new DateOnly(2026, 2, 15), ClosesOn = new DateOnly(2026, 3, 29), ClosesAt = new DateTime(2026, 3, 29, 23, 0, 0, DateTimeKind.Utc),
            CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        db.InterviewTasks.Add(task);
        await db.SaveChangesAsync();
        var researcher = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString, InterviewFileWorld.Settings());
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var files = $"/studies/{world.Study.Id}/interviews/{task.Id}/files";
        var upload = await InterviewFileWorld.UploadAsync(client, files, InterviewFileKind.Transcript, "transcript-FILENAME-MARK.txt", InterviewFileWorld.Transcript(3000, "CONTENT-MARK"));
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        Assert.True(await db.InterviewFiles.AnyAsync(f => f.TaskId == task.Id));
        var data = $"/studies/{world.Study.Id}/data";

        var downloads = new List<(string What, Dictionary<string, string> Fields)>();
        foreach (var (shape, wave) in new[] { ("long", ""), ("wide", "baseline"), ("wide-across", "") })
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
            Assert.True(fields["download"] != "table" || text.Contains("P-0001", StringComparison.Ordinal), $"{what} has no rows");
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
            foreach (var field in reader.Schema.GetDataFields().Where(f => f.ClrType != typeof(double)))
            {
                var values = new string?[group.RowCount];
                await group.ReadAsync(field, values.AsMemory());
                text.AppendJoin('\n', values).Append('\n');
            }
        }
        return text.ToString();
    }
}
