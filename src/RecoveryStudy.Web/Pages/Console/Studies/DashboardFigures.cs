using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Reports;

namespace RecoveryStudy.Web.Pages.Console.Studies;

/// <summary>One wave in one cohort (or all cohorts): how far its invitations got.</summary>
public sealed class WaveCohortFigures(int waveId, string waveCode, string? cohort, string cohortLabel)
{
    public int WaveId { get; } = waveId;
    public string WaveCode { get; } = waveCode;

    /// <summary>The cohort's code, <see cref="ResponseReport.NoCohort"/> for participants without one, null for all cohorts.</summary>
    public string? Cohort { get; } = cohort;
    public string CohortLabel { get; } = cohortLabel;

    /// <summary>As <see cref="ResponseRow.Eligible"/>: participants in the wave's roles, or holding an invitation to it.</summary>
    public int Eligible { get; set; }

    /// <summary>As <see cref="ResponseRow.Invited"/>: the invitation email went out, or answers were imported.</summary>
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

    /// <summary>Emails sent, by step label.</summary>
    public Dictionary<string, int> SentByStep { get; } = [];

    /// <summary>
    /// Opt-outs (unsubscribes) by the last email the participant had been sent, in any wave, before
    /// opting out; counted in the wave of that email.
    /// </summary>
    public Dictionary<string, int> OptedOutAfter { get; } = [];

    /// <summary>Completed per invited; null while nobody has been invited.</summary>
    public double? ResponseRate => Invited == 0 ? null : (double)Completed / Invited;

    /// <summary>Whole days from the invitation email to completion, one per completed invitation.</summary>
    public List<int> DaysToComplete { get; } = [];
}

/// <summary>
/// The dashboard's figures for a study. Eligible, invited, started, completed and the outcomes come
/// from <see cref="ResponseReport"/>, the one definition the responses page, the API and the CLI use;
/// the dashboard adds what only it shows: opened, how often each was reminded, which email each
/// completion followed, and days to complete.
/// </summary>
public static class DashboardFigures
{
    public const string AllCohorts = "All cohorts";

    private sealed record InvitationFacts(long Id, int ParticipantId, DateTime? OptedOutAt, string WaveCode, string? Cohort, string Status, DateTime? SentAt, DateTime? FirstOpenedAt, DateTime? CompletedAt);

    private sealed record SentFacts(long InvitationId, string Kind, int Step, DateTime SentAt);

    /// <summary>Rows per wave: first the wave over all cohorts, then each cohort with eligible participants.</summary>
    public static async Task<IReadOnlyList<WaveCohortFigures>> ComputeAsync(
        StudyDbContext db, NpgsqlDataSource dataSource, int studyId, int[]? sites, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().Where(s => s.Id == studyId).Select(s => s.Code).SingleAsync(ct);
        var report = await ResponseReport.ComputeAsync(dataSource, study, sites, ct)
            ?? throw new InvalidOperationException("The study was deleted while its dashboard was computed.");
        var waveIds = await db.Waves.AsNoTracking().Where(w => w.StudyId == studyId).ToDictionaryAsync(w => w.Code, w => w.Id, ct);
        var invitations = (await db.Invitations.AsNoTracking().Where(i => i.StudyId == studyId)
                .Select(i => new InvitationFacts(i.Id, i.ParticipantId, i.Participant!.OptedOutAt, i.Wave!.Code, i.Participant!.Cohort!.Code, i.Status, i.SentAt, i.FirstOpenedAt, i.CompletedAt))
                .ToListAsync(ct))
            .ToLookup(i => i.WaveCode);
        var sent = (await db.Messages.AsNoTracking()
                .Where(m => m.Invitation!.StudyId == studyId && m.Status == MessageStatus.Sent && m.SentAt != null)
                .Select(m => new SentFacts(m.InvitationId, m.Kind, m.Step, m.SentAt!.Value))
                .ToListAsync(ct))
            .ToLookup(m => m.InvitationId);
        var optedOutAfter = OptOutSteps(invitations.SelectMany(w => w), sent);

        var rows = new List<WaveCohortFigures>();
        foreach (var wave in report.Rows.GroupBy(r => r.Wave))
        {
            foreach (var counted in wave.OrderBy(r => r.Cohort is not null))
            {
                var row = FromReport(waveIds[wave.Key], counted);
                var ofRow = invitations[wave.Key].Where(i => counted.Cohort is null || (i.Cohort ?? ResponseReport.NoCohort) == counted.Cohort);
                AddEmailFigures(row, ofRow, sent, optedOutAfter);
                rows.Add(row);
            }
        }
        return rows;
    }

    private static WaveCohortFigures FromReport(int waveId, ResponseRow counted) => new(waveId, counted.Wave, counted.Cohort, counted.Cohort ?? AllCohorts)
    {
        Eligible = counted.Eligible,
        Invited = counted.Invited,
        Started = counted.Started,
        Completed = counted.Completed,
        Expired = counted.Expired,
        Missed = counted.Missed,
        Undeliverable = counted.Undeliverable,
        Withdrawn = counted.Withdrawn,
    };

    /// <summary>For each opted-out participant, the invitation and step of the last email sent before the opt-out.</summary>
    private static Dictionary<long, string> OptOutSteps(IEnumerable<InvitationFacts> invitations, ILookup<long, SentFacts> sent)
    {
        var steps = new Dictionary<long, string>();
        foreach (var participant in invitations.Where(i => i.OptedOutAt is not null).GroupBy(i => i.ParticipantId))
        {
            var optedOutAt = participant.First().OptedOutAt!.Value;
            var last = participant.SelectMany(i => sent[i.Id]).Where(m => m.SentAt <= optedOutAt).MaxBy(m => m.SentAt);
            if (last is not null)
            {
                steps[last.InvitationId] = Label(last);
            }
        }
        return steps;
    }

    private static void AddEmailFigures(WaveCohortFigures row, IEnumerable<InvitationFacts> invitations, ILookup<long, SentFacts> sent, Dictionary<long, string> optedOutAfter)
    {
        foreach (var i in invitations)
        {
            var emails = sent[i.Id].OrderBy(m => m.SentAt).ToList();
            foreach (var email in emails)
            {
                var step = Label(email);
                row.SentByStep[step] = row.SentByStep.GetValueOrDefault(step) + 1;
            }
            if (optedOutAfter.TryGetValue(i.Id, out var optOutStep))
            {
                row.OptedOutAfter[optOutStep] = row.OptedOutAfter.GetValueOrDefault(optOutStep) + 1;
            }
            var invitedAt = i.SentAt ?? emails.FirstOrDefault(m => m.Kind == MessageKind.Invitation)?.SentAt;
            if (i.FirstOpenedAt is not null)
            {
                row.Opened++;
            }
            var reminders = emails.Count(m => m.Kind is MessageKind.Reminder or MessageKind.LastChance);
            if (reminders > 0)
            {
                row.RemindedTimes[reminders] = row.RemindedTimes.GetValueOrDefault(reminders) + 1;
            }
            if (i.Status == InvitationStatus.Completed)
            {
                var completedAt = i.CompletedAt ?? DateTime.MaxValue;
                var last = emails.LastOrDefault(m => m.SentAt <= completedAt);
                var after = last is null ? "before any email" : Label(last);
                row.CompletedAfter[after] = row.CompletedAfter.GetValueOrDefault(after) + 1;
                if (invitedAt is DateTime from && i.CompletedAt is DateTime to)
                {
                    row.DaysToComplete.Add(Math.Max(0, (int)Math.Floor((to - from).TotalDays)));
                }
            }
        }
    }

    public static string Label(string kind, int step) => kind switch
    {
        MessageKind.Invitation => "invitation",
        MessageKind.Reminder => $"reminder {step}",
        MessageKind.LastChance => "last chance",
        _ => kind,
    };

    private static string Label(SentFacts message) => Label(message.Kind, message.Step);

    /// <summary>The steps every dashboard shows, sent or not, so a missing reminder shows as a zero.</summary>
    public static readonly string[] StandardSteps = ["invitation", "reminder 1", "reminder 2", "reminder 3", "last chance"];

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
