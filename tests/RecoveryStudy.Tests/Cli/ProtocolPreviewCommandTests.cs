using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Mail;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Cli;

/// <summary>
/// `schedule preview --study S --protocol FILE`: the schedule under a protocol file that is not
/// imported, and what it would change against what is planned now, without storing anything.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ProtocolPreviewCommandTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    // Monday 1 February 2027, 09:30 in Copenhagen.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2027, 2, 1, 8, 30, 0, TimeSpan.Zero));
    private readonly string folder = Directory.CreateTempSubdirectory("rs-preview-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static DateTime Utc(int month, int day) => new(2027, month, day, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// The mini protocol (baseline 7 days before course start, reminders after 3 and 7 days) with
    /// P-sent invited on 1 February (sent) and P-later due on 22 February (queued).
    /// </summary>
    private async Task<string> StudyAsync()
    {
        var code = "m" + Guid.NewGuid().ToString("N")[..8];
        await using var db = database.CreateContext();
        var imported = await new ProtocolImporter(db, clock).ImportAsync(MiniProtocol.With(d => d["study"]!["code"] = code), Actor.Cli, CancellationToken.None);
        Assert.True(imported.Succeeded, string.Join("; ", imported.Problems));
        var study = await db.Studies.SingleAsync(s => s.Code == code);
        var builder = new StudyBuilder(db);
        await builder.ParticipantAsync(study, "P-sent", new DateOnly(2027, 1, 4),
            new Dictionary<string, DateOnly> { ["course_start"] = new(2027, 2, 8), ["course_end"] = new(2027, 6, 25) }, timeZone: "Europe/Copenhagen");
        await builder.ParticipantAsync(study, "P-later", new DateOnly(2027, 1, 4),
            new Dictionary<string, DateOnly> { ["course_start"] = new(2027, 3, 1), ["course_end"] = new(2027, 6, 25) }, timeZone: "Europe/Copenhagen");
        await using var dataSource = database.CreateDataSource();
        var jobs = new Jobs(dataSource, clock, new PickupMailTransport(Path.Combine(folder, "mail")));
        Assert.Equal(1, await jobs.TickAsync());
        return code;
    }

    /// <summary>Baseline 14 days before course start with one reminder after 2 days; a second follow-up reminder after 14 days.</summary>
    private string Changed(string code, Action<JsonObject>? more = null)
    {
        var json = MiniProtocol.With(d =>
        {
            d["study"]!["code"] = code;
            var baseline = MiniProtocol.Wave(d, 0);
            baseline["offset"] = new JsonObject { ["days"] = -14 };
            baseline["reminders"]!["days"] = new JsonArray(2);
            var followup = MiniProtocol.Wave(d, 1);
            followup["reminders"]!["days"] = new JsonArray(7, 14);
            followup["emails"]!["reminders"]!.AsArray().Add(followup["emails"]!["reminders"]![0]!.DeepClone());
            more?.Invoke(d);
        });
        var path = Path.Combine(folder, $"{code}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task A_changed_protocol_shows_new_moved_and_cancelled_emails_never_the_sent_ones_and_changes_no_row()
    {
        var code = await StudyAsync();
        var file = Changed(code);
        var before = await TableSnapshot.TakeAsync(database.ConnectionString);

        var (exit, output, error) = await CliRun.RunAsync(database.ConnectionString, clock, "schedule", "preview", "--study", code, "--protocol", file, "--format", "json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var changes = json.RootElement.GetProperty("changes").EnumerateArray()
            .ToDictionary(c => $"{c.GetProperty("participant").GetString()} {c.GetProperty("wave").GetString()} {c.GetProperty("what").GetString()} {c.GetProperty("step").GetInt32()}");
        DateTime? At(JsonElement change, string name) => change.GetProperty(name).ValueKind == JsonValueKind.Null ? null : change.GetProperty(name).GetDateTime();

        // Not sent yet: the invitation moves a week earlier, the first reminder moves, the second is cancelled.
        var invitation = changes["P-later baseline invitation 0"];
        Assert.Equal("moved", invitation.GetProperty("change").GetString());
        Assert.Equal(Utc(2, 22), At(invitation, "beforeUtc"));
        Assert.Equal(Utc(2, 15), At(invitation, "afterUtc"));
        Assert.Equal("moved", changes["P-later baseline reminder 1"].GetProperty("change").GetString());
        Assert.Equal(Utc(2, 17), At(changes["P-later baseline reminder 1"], "afterUtc"));
        Assert.Equal("cancelled", changes["P-later baseline reminder 2"].GetProperty("change").GetString());
        Assert.Null(At(changes["P-later baseline reminder 2"], "afterUtc"));

        // Sent: the invitation is never listed again; its reminders follow the new policy from the day it went out.
        Assert.DoesNotContain("P-sent baseline invitation 0", changes.Keys);
        Assert.Equal(Utc(2, 4), At(changes["P-sent baseline reminder 1"], "beforeUtc"));
        Assert.Equal(Utc(2, 3), At(changes["P-sent baseline reminder 1"], "afterUtc"));
        Assert.Equal("cancelled", changes["P-sent baseline reminder 2"].GetProperty("change").GetString());

        // A reminder the file adds.
        Assert.Equal("new", changes["P-sent followup reminder 2"].GetProperty("change").GetString());
        Assert.Equal("new", changes["P-later followup reminder 2"].GetProperty("change").GetString());
        Assert.DoesNotContain(changes.Keys, k => k.EndsWith("followup invitation 0", StringComparison.Ordinal));

        // The schedule under the file: the sent invitation stays sent, nothing is sent twice.
        var schedule = json.RootElement.GetProperty("schedule").EnumerateArray().ToList();
        var sent = Assert.Single(schedule, r => r.GetProperty("participant").GetString() == "P-sent" && r.GetProperty("what").GetString() == "invitation"
            && r.GetProperty("wave").GetString() == "baseline");
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Equal(new DateTime(2027, 2, 1, 8, 30, 0, DateTimeKind.Utc), sent.GetProperty("atUtc").GetDateTime());
        Assert.Contains(json.RootElement.GetProperty("protocolChanges").EnumerateArray(), c => c.GetString()!.Contains("baseline", StringComparison.Ordinal));

        // Text: the same differences in a table, with a count.
        (exit, output, _) = await CliRun.RunAsync(database.ConnectionString, clock, "schedule", "preview", "--study", code, "--protocol", file,
            "--participant", "P-later", "--from", "2027-02-01", "--to", "2027-02-28");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("P-later", StringComparison.Ordinal) && l.Contains("invitation", StringComparison.Ordinal)
            && l.Contains("moved", StringComparison.Ordinal) && l.Contains("2027-02-22 08:00", StringComparison.Ordinal) && l.EndsWith("2027-02-15 08:00", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("P-sent", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("P-", StringComparison.Ordinal) && l.Contains("followup", StringComparison.Ordinal));
        // In February: the invitation and the first reminder move; the cancelled reminder and the last chance were due in March.
        Assert.Equal("0 new, 2 moved, 0 cancelled email(s); 0 invitation(s) newly missed, 0 no longer missed.", lines.Last(l => l.Length > 0));

        Assert.Equal(before, await TableSnapshot.TakeAsync(database.ConnectionString));
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.ProtocolVersions.CountAsync(v => db.Studies.Any(s => s.Id == v.StudyId && s.Code == code)));
    }

    [Fact]
    public async Task A_file_with_problems_or_for_another_study_lists_them_with_json_paths_and_changes_nothing()
    {
        var code = await StudyAsync();
        var broken = Changed(code, d => MiniProtocol.Wave(d, 1)["offset"]!["months"] = 121);
        var other = Changed("someother");
        var before = await TableSnapshot.TakeAsync(database.ConnectionString);

        var (exit, output, error) = await CliRun.RunAsync(database.ConnectionString, clock, "schedule", "preview", "--study", code, "--protocol", broken);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("$.waves[1].offset.months: must be a whole number from 0 to 120", error, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error, StringComparison.Ordinal);

        (exit, output, error) = await CliRun.RunAsync(database.ConnectionString, clock, "schedule", "preview", "--study", code, "--protocol", other);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains($"$.study.code: the file is for study 'someother', not '{code}'", error, StringComparison.Ordinal);

        (exit, _, error) = await CliRun.RunAsync(database.ConnectionString, clock, "schedule", "preview", "--study", code, "--protocol", Path.Combine(folder, "missing.json"));
        Assert.Equal(2, exit);
        Assert.Contains("--protocol: missing.json was not found", error, StringComparison.Ordinal);

        Assert.Equal(before, await TableSnapshot.TakeAsync(database.ConnectionString));
    }
}
