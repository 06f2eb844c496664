using System.Globalization;
using System.Text.Json;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// What `schedule preview` prints: the schedule as a table, and with `--protocol FILE` the
/// file's problems (standard error, exit 1) or the schedule under the file's rules followed by
/// the emails that would be new, moved or cancelled. Nothing is stored.
/// </summary>
internal static class ProtocolPreviewOutput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> RunAsync(StudyDbContext db, TimeProvider clock, FileInfo file, string study, string? participant, DateOnly? from,
        DateOnly? to, bool json, CancellationToken ct)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"--protocol: {file.Name} was not found.");
            return 2;
        }
        var result = await ProtocolPreview.RunAsync(db, clock, study, await File.ReadAllTextAsync(file.FullName, ct), participant, from, to, ct);
        if (result is null)
        {
            await Console.Error.WriteLineAsync($"--study: no study with code {study}");
            return 1;
        }
        if (!result.IsValid)
        {
            foreach (var problem in result.Problems)
            {
                await Console.Error.WriteLineAsync(problem.ToString());
            }
            await Console.Error.WriteLineAsync($"{result.Problems.Count} problem(s) in {file.Name}; nothing was changed.");
            return 1;
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { schedule = result.Schedule, changes = result.Changes, protocolChanges = result.ProtocolChanges }, Json));
            return 0;
        }
        Console.WriteLine($"Under {file.Name} (not imported; nothing was changed):");
        foreach (var change in result.ProtocolChanges)
        {
            Console.WriteLine($"  - {change}");
        }
        WriteSchedule(result.Schedule);
        Console.WriteLine();
        Console.WriteLine("Compared with what is planned now (emails already sent are never sent again):");
        Console.WriteLine("participant  wave          email          change            now (UTC)          under the file (UTC)");
        foreach (var c in result.Changes)
        {
            Console.WriteLine($"{c.Participant,-12} {c.Wave,-13} {What(c.What, c.Step),-14} {c.Change,-17} {Utc(c.BeforeUtc),-18} {Utc(c.AfterUtc) ?? c.Reason}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Count(result, ProtocolPreview.New)} new, {Count(result, ProtocolPreview.Moved)} moved, {Count(result, ProtocolPreview.Cancelled)} cancelled email(s); "
            + $"{Count(result, ProtocolPreview.NewlyMissed)} invitation(s) newly missed, {Count(result, ProtocolPreview.NoLongerMissed)} no longer missed."));
        return 0;
    }

    public static void WriteSchedule(IReadOnlyList<PreviewRow> rows)
    {
        Console.WriteLine("participant  wave          email          status      UTC                local");
        foreach (var r in rows)
        {
            var local = r.AtLocal is null ? r.Reason ?? "" : $"{r.AtLocal} {r.TimeZone}";
            Console.WriteLine($"{r.Participant,-12} {r.Wave,-13} {What(r.What, r.Step),-14} {r.Status,-11} {Utc(r.AtUtc) ?? "",-18} {local}");
        }
        Console.WriteLine($"{rows.Count(r => r.Status == "would send")} email(s) would be sent, {rows.Count(r => r.What == "missed")} invitation(s) missed.");
    }

    private static string What(string what, int step) => what == "reminder" ? "reminder " + step.ToString(CultureInfo.InvariantCulture) : what;

    private static string? Utc(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static int Count(ProtocolPreviewResult result, string change) => result.Changes.Count(c => c.Change == change);
}
