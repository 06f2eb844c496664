using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Pages.Console.Studies;

/// <summary>One wave in one cohort (or all cohorts): how far its invitations got.</summary>
public sealed class WaveCohortFigures(int waveId, string waveCode, int? cohortId, string cohortLabel)
{
    public int WaveId { get; } = waveId;
    public string WaveCode { get; } = waveCode;
    public int? CohortId { get; } = cohortId;
    public string CohortLabel { get; } = cohortLabel;

    /// <summary>Every invitation of the wave: each participant the wave applies to.</summary>
    public int Eligible { get; set; }

    /// <summary>Invitations whose invitation email went out.</summary>
    public int Invited { get; set; }
    public int Opened { get; set; }
    public int Started { get; set; }
    public int Completed { get; set; }
    public int Expired { get; set; }
    public int Missed { get; set; }
    public int Undeliverable { get; set; }
    public int Withdrawn { get; set; }

    /// <summary>Invitations reminded exactly k times (reminders and the last chance), by k.</summary>
    public SortedDictionary<int, int> RemindedTimes { get; } = [];

    /// <summary>Completions by the last email sent before them: "invitation", "reminder 1", ..., "last chance".</summary>
    public Dictionary<string, int> CompletedAfter { get; } = [];

    /// <summary>Completed per invited; null while nobody has been invited.</summary>
    public double? ResponseRate => Invited == 0 ? null : (double)Completed / Invited;

    /// <summary>Whole days from the invitation email to completion, one per completed invitation.</summary>
    public List<int> DaysToComplete { get; } = [];
}

/// <summary>
/// The dashboard's figures for a study, computed from invitations and their sent messages.
/// Definitions: invited = the invitation email was sent; started = an answer was saved;
/// response rate = completed / invited; a completion counts "after" the last email sent before it.
/// </summary>
public static class DashboardFigures
{
    public const string AllCohorts = "All cohorts";

    private sealed record InvitationFacts(long Id, int WaveId, int? CohortId, string Status, DateTime? SentAt, DateTime? FirstOpenedAt, DateTime? CompletedAt, bool HasResponse);

    private sealed record SentFacts(long InvitationId, string Kind, int Step, DateTime SentAt);

    /// <summary>Rows per wave: first the wave over all cohorts, then each cohort that has invitations.</summary>
    public static async Task<IReadOnlyList<WaveCohortFigures>> ComputeAsync(StudyDbContext db, int studyId, CancellationToken ct)
    {
        var waves = await db.Waves.AsNoTracking().Where(w => w.StudyId == studyId).OrderBy(w => w.Position).ThenBy(w => w.Code)
            .Select(w => new { w.Id, w.Code }).ToListAsync(ct);
        var cohorts = await db.Cohorts.AsNoTracking().Where(c => c.StudyId == studyId).ToDictionaryAsync(c => c.Id, c => c.Code, ct);
        var invitations = await db.Invitations.AsNoTracking().Where(i => i.StudyId == studyId)
            .Select(i => new InvitationFacts(i.Id, i.WaveId, i.Participant!.CohortId, i.Status, i.SentAt, i.FirstOpenedAt, i.CompletedAt,
                db.Responses.Any(r => r.InvitationId == i.Id)))
            .ToListAsync(ct);
        var sent = (await db.Messages.AsNoTracking()
                .Where(m => m.Invitation!.StudyId == studyId && m.Status == MessageStatus.Sent && m.SentAt != null)
                .Select(m => new SentFacts(m.InvitationId, m.Kind, m.Step, m.SentAt!.Value))
                .ToListAsync(ct))
            .ToLookup(m => m.InvitationId);

        var rows = new List<WaveCohortFigures>();
        foreach (var wave in waves)
        {
            var ofWave = invitations.Where(i => i.WaveId == wave.Id).ToList();
            rows.Add(Tally(new WaveCohortFigures(wave.Id, wave.Code, null, AllCohorts), ofWave, sent));
            foreach (var group in ofWave.GroupBy(i => i.CohortId).OrderBy(g => g.Key is int id && cohorts.TryGetValue(id, out var c) ? c : "~"))
            {
                var label = group.Key is int id && cohorts.TryGetValue(id, out var code) ? code : "(no cohort)";
                rows.Add(Tally(new WaveCohortFigures(wave.Id, wave.Code, group.Key, label), group, sent));
            }
        }
        return rows;
    }

    private static WaveCohortFigures Tally(WaveCohortFigures row, IEnumerable<InvitationFacts> invitations, ILookup<long, SentFacts> sent)
    {
        foreach (var i in invitations)
        {
            row.Eligible++;
            var emails = sent[i.Id].OrderBy(m => m.SentAt).ToList();
            var invitationEmail = emails.FirstOrDefault(m => m.Kind == MessageKind.Invitation);
            var invitedAt = i.SentAt ?? invitationEmail?.SentAt;
            if (invitedAt is not null)
            {
                row.Invited++;
            }
            if (i.FirstOpenedAt is not null)
            {
                row.Opened++;
            }
            if (i.HasResponse || i.Status is InvitationStatus.InProgress or InvitationStatus.Completed)
            {
                row.Started++;
            }
            var reminders = emails.Count(m => m.Kind is MessageKind.Reminder or MessageKind.LastChance);
            if (reminders > 0)
            {
                row.RemindedTimes[reminders] = row.RemindedTimes.GetValueOrDefault(reminders) + 1;
            }
            switch (i.Status)
            {
                case InvitationStatus.Completed:
                    row.Completed++;
                    var completedAt = i.CompletedAt ?? DateTime.MaxValue;
                    var last = emails.LastOrDefault(m => m.SentAt <= completedAt);
                    var after = last is null ? "before any email" : Label(last);
                    row.CompletedAfter[after] = row.CompletedAfter.GetValueOrDefault(after) + 1;
                    if (invitedAt is DateTime from && i.CompletedAt is DateTime to)
                    {
                        row.DaysToComplete.Add(Math.Max(0, (int)Math.Floor((to - from).TotalDays)));
                    }
                    break;
                case InvitationStatus.Expired: row.Expired++; break;
                case InvitationStatus.Missed: row.Missed++; break;
                case InvitationStatus.Undeliverable: row.Undeliverable++; break;
                case InvitationStatus.Withdrawn: row.Withdrawn++; break;
            }
        }
        return row;
    }

    public static string Label(string kind, int step) => kind switch
    {
        MessageKind.Invitation => "invitation",
        MessageKind.Reminder => $"reminder {step}",
        MessageKind.LastChance => "last chance",
        _ => kind,
    };

    private static string Label(SentFacts message) => Label(message.Kind, message.Step);

    /// <summary>Order for "completed after" columns: invitation, reminders by step, last chance.</summary>
    public static int Order(string label) => label switch
    {
        "before any email" => -1,
        "invitation" => 0,
        "last chance" => 1000,
        _ when label.StartsWith("reminder ", StringComparison.Ordinal) && int.TryParse(label[9..], out var k) => k,
        _ => 2000,
    };
}
