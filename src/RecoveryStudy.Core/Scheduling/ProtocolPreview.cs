using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// One email or missed invitation whose plan a protocol file would change: "new", "moved",
/// "cancelled" (planned now, not under the file), "missed" (would be missed under the file) or
/// "no longer missed". Emails already sent never appear: they are never sent again.
/// </summary>
public sealed record PreviewChange(string Participant, string Wave, string What, int Step, string Change, DateTime? BeforeUtc, DateTime? AfterUtc,
    string? Reason);

/// <summary>
/// What a protocol file would do to a running study, before it is imported: the problems that
/// would stop the import (JSON paths), or the schedule under the file's rules and its
/// differences from what is planned now, and the protocol changes in words.
/// </summary>
public sealed record ProtocolPreviewResult(IReadOnlyList<ProtocolProblem> Problems, IReadOnlyList<PreviewRow> Schedule,
    IReadOnlyList<PreviewChange> Changes, IReadOnlyList<string> ProtocolChanges)
{
    public bool IsValid => Problems.Count == 0;

    public static ProtocolPreviewResult Failed(IReadOnlyList<ProtocolProblem> problems) => new(problems, [], [], []);
}

/// <summary>
/// The dry run of a protocol change: the real import runs inside a transaction that is rolled
/// back, and the planner is run over the study's participants before and inside it, so the
/// preview shows exactly what the import followed by the plan job would do. Nothing is stored.
/// </summary>
public static class ProtocolPreview
{
    public const string New = "new";
    public const string Moved = "moved";
    public const string Cancelled = "cancelled";
    public const string NewlyMissed = "missed";
    public const string NoLongerMissed = "no longer missed";

    /// <summary>Null when there is no study with that code.</summary>
    public static async Task<ProtocolPreviewResult?> RunAsync(StudyDbContext db, TimeProvider clock, string studyCode, string json, string? participantCode,
        DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var validation = ProtocolValidator.Validate(json);
        if (!validation.IsValid)
        {
            return ProtocolPreviewResult.Failed(validation.Problems);
        }
        if (validation.Protocol!.Study.Code != studyCode)
        {
            return ProtocolPreviewResult.Failed([new ProtocolProblem("$.study.code", $"the file is for study '{validation.Protocol.Study.Code}', not '{studyCode}'")]);
        }
        var now = clock.Now();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var before = await SchedulePreview.RunAsync(connection, null, studyCode, participantCode, null, null, now, ct);
            if (before is null)
            {
                return null;
            }
            IReadOnlyList<PreviewRow> after = [];
            var import = await new ProtocolImporter(db, clock).TryAsync(json, Actor.Cli, async (c, t, token) =>
                after = (await SchedulePreview.RunAsync(c, t, studyCode, participantCode, null, null, now, token))!, ct);
            if (!import.Succeeded)
            {
                return ProtocolPreviewResult.Failed(import.Problems);
            }
            // Like the schedule, a missed invitation (no time) is always shown; an email when it is or was due in the range.
            var changes = Compare(before, after)
                .Where(c => (c.BeforeUtc is null && c.AfterUtc is null) || InRange(c.BeforeUtc, from, to) || InRange(c.AfterUtc, from, to)).ToList();
            var schedule = after.Where(r => r.AtUtc is null || InRange(r.AtUtc, from, to)).ToList();
            return new ProtocolPreviewResult([], schedule, changes, import.Changes.Where(c => !c.StartsWith("protocol version ", StringComparison.Ordinal)).ToList());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Emails and missed invitations matched by participant, wave, kind and step; sent emails are left out.</summary>
    public static IEnumerable<PreviewChange> Compare(IReadOnlyList<PreviewRow> before, IReadOnlyList<PreviewRow> after)
    {
        static (string, string, string, int) Key(PreviewRow r) => (r.Participant, r.Wave, r.What, r.Step);
        static bool Pending(PreviewRow r) => r.Status == "would send" || r.What == "missed";
        var old = before.Where(Pending).GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
        var next = after.Where(Pending).GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
        var changes = new List<PreviewChange>();
        foreach (var (key, row) in next)
        {
            if (!old.TryGetValue(key, out var was))
            {
                changes.Add(new PreviewChange(row.Participant, row.Wave, row.What, row.Step, row.What == "missed" ? NewlyMissed : New, null, row.AtUtc, row.Reason));
            }
            else if (was.AtUtc != row.AtUtc)
            {
                changes.Add(new PreviewChange(row.Participant, row.Wave, row.What, row.Step, Moved, was.AtUtc, row.AtUtc, row.Reason));
            }
        }
        foreach (var (key, row) in old.Where(o => !next.ContainsKey(o.Key)))
        {
            changes.Add(new PreviewChange(row.Participant, row.Wave, row.What, row.Step, row.What == "missed" ? NoLongerMissed : Cancelled, row.AtUtc, null,
                row.Reason));
        }
        return changes
            .OrderBy(c => c.AfterUtc ?? c.BeforeUtc ?? DateTime.MaxValue)
            .ThenBy(c => c.Participant, StringComparer.Ordinal).ThenBy(c => c.Wave, StringComparer.Ordinal).ThenBy(c => c.Step);
    }

    private static bool InRange(DateTime? utc, DateOnly? from, DateOnly? to) =>
        utc is DateTime at && (from is null || DateOnly.FromDateTime(at) >= from) && (to is null || DateOnly.FromDateTime(at) <= to);
}
