using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Cli;

/// <summary>`study pause|resume` and `schedule preview` run as an operator runs them: output, exit codes and what they store.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class SchedulingCommandTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2027, 2, 1, 10, 0, 0, TimeSpan.Zero));

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliRun.RunAsync(database.ConnectionString, Clock, args);

    [Fact]
    public async Task Pause_and_resume_a_study_and_a_wave_store_the_status_and_an_audit_entry_and_refuse_unknown_codes()
    {
        await using var db = database.CreateContext();
        var builder = new StudyBuilder(db);
        var study = await builder.StudyAsync();
        var wave = await builder.WaveAsync(study, "post", "course_end", 0);

        var (code, output, _) = await RunAsync("study", "pause", "--study", study.Code);
        Assert.Equal(0, code);
        Assert.Equal($"Paused study {study.Code}.", output.Trim());
        var stored = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == study.Id);
        Assert.Equal(StudyStatus.Paused, stored.Status);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, stored.PausedAt);
        (code, _, _) = await RunAsync("study", "pause", "--study", study.Code);
        Assert.Equal(0, code);

        (code, output, _) = await RunAsync("study", "pause", "--study", study.Code, "--wave", "post");
        Assert.Equal(0, code);
        Assert.Equal($"Paused wave post of study {study.Code}.", output.Trim());
        Assert.Equal(WaveStatus.Paused, (await db.Waves.AsNoTracking().SingleAsync(w => w.Id == wave.Id)).Status);

        (code, output, _) = await RunAsync("study", "resume", "--study", study.Code, "--wave", "post");
        Assert.Equal(0, code);
        Assert.Equal($"Resumed wave post of study {study.Code}.", output.Trim());
        Assert.Equal(WaveStatus.Active, (await db.Waves.AsNoTracking().SingleAsync(w => w.Id == wave.Id)).Status);
        Assert.Equal(StudyStatus.Paused, (await db.Studies.AsNoTracking().SingleAsync(s => s.Id == study.Id)).Status);

        (code, _, _) = await RunAsync("study", "resume", "--study", study.Code);
        Assert.Equal(0, code);
        stored = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == study.Id);
        Assert.Equal(StudyStatus.Active, stored.Status);
        Assert.Null(stored.PausedAt);

        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.StudyId == study.Id).OrderBy(a => a.Id).ToListAsync();
        // The same audit entries as the console's buttons (one implementation); pausing twice recorded once.
        Assert.Equal(["study.pause", "wave.pause", "wave.resume", "study.resume"], audit.Select(a => a.Action));
        Assert.Equal([study.Id.ToString(CultureInfo.InvariantCulture), wave.Id.ToString(CultureInfo.InvariantCulture)], audit.Take(2).Select(a => a.TargetId));
        Assert.All(audit, a => Assert.Equal("cli", a.ActorKind));
        Assert.All(audit, a => Assert.Null(a.StaffUserId));

        var before = await TableSnapshot.TakeAsync(database.ConnectionString);
        (code, output, var error) = await RunAsync("study", "pause", "--study", study.Code, "--wave", "nope");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains($"study {study.Code} has no wave nope", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("study", "pause", "--study", "no-such-study");
        Assert.Equal(1, code);
        Assert.Contains("no study with code no-such-study", error, StringComparison.Ordinal);
        Assert.Equal(before, await TableSnapshot.TakeAsync(database.ConnectionString));
    }

    [Fact]
    public async Task Schedule_preview_prints_every_email_in_utc_and_local_time_and_the_missed_as_text_or_json_and_stores_nothing()
    {
        await using var db = database.CreateContext();
        var builder = new StudyBuilder(db);
        var study = await builder.StudyAsync();
        await builder.WaveAsync(study, "post", "course_end", 0, reminders: [3], lastChance: 1);
        await builder.ParticipantAsync(study, "P-1", new DateOnly(2027, 1, 10), new Dictionary<string, DateOnly> { ["course_end"] = new(2027, 3, 1) });
        await builder.ParticipantAsync(study, "P-2", new DateOnly(2027, 4, 1), new Dictionary<string, DateOnly> { ["course_end"] = new(2027, 3, 1) });
        var before = await TableSnapshot.TakeAsync(database.ConnectionString);

        var (code, output, _) = await RunAsync("schedule", "preview", "--study", study.Code);
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("participant  wave", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("P-1", StringComparison.Ordinal) && l.Contains("invitation", StringComparison.Ordinal)
            && l.Contains("would send", StringComparison.Ordinal) && l.Contains("2027-03-01 08:00", StringComparison.Ordinal)
            && l.EndsWith("2027-03-01 09:00 (Mon) Europe/Warsaw", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("P-1", StringComparison.Ordinal) && l.Contains("reminder 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("P-2", StringComparison.Ordinal) && l.Contains("missed", StringComparison.Ordinal)
            && l.EndsWith("enrolled after the window closed", StringComparison.Ordinal));
        Assert.Equal("3 email(s) would be sent, 1 invitation(s) missed.", lines[^1]);

        (code, output, _) = await RunAsync("schedule", "preview", "--study", study.Code, "--participant", "P-1", "--from", "2027-03-02", "--to", "2027-03-31",
            "--format", "json");
        Assert.Equal(0, code);
        using (var json = JsonDocument.Parse(output))
        {
            var rows = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(["reminder", "last_chance"], rows.Select(r => r.GetProperty("what").GetString()));
            Assert.All(rows, r => Assert.Equal("P-1", r.GetProperty("participant").GetString()));
            Assert.All(rows, r => Assert.Equal("would send", r.GetProperty("status").GetString()));
            Assert.Equal(new DateTime(2027, 3, 4, 8, 0, 0, DateTimeKind.Utc), rows[0].GetProperty("atUtc").GetDateTime());
            Assert.Equal("Europe/Warsaw", rows[0].GetProperty("timeZone").GetString());
        }

        (code, output, var error) = await RunAsync("schedule", "preview", "--study", study.Code, "--format", "xml");
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("email(s) would be sent", output, StringComparison.Ordinal);
        Assert.Contains("xml", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("schedule", "preview", "--study", study.Code, "--from", "2027-04-01", "--to", "2027-03-01");
        Assert.NotEqual(0, code);
        Assert.Contains("--from 2027-04-01 is after --to 2027-03-01", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("schedule", "preview", "--study", "no-such-study");
        Assert.Equal(1, code);
        Assert.Contains("--study: no study with code no-such-study", error, StringComparison.Ordinal);

        Assert.Equal(before, await TableSnapshot.TakeAsync(database.ConnectionString));
    }
}
