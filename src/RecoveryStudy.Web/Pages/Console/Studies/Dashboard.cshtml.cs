using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Reports;

namespace RecoveryStudy.Web.Pages.Console.Studies;

/// <summary>The study at a glance: response per wave and cohort, what goes out this week, what needs attention.</summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class DashboardModel(StudyDbContext db, NpgsqlDataSource dataSource, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public sealed record DueRow(DateOnly Day, string WaveCode, string Kind, int Count);

    /// <summary>The target when the protocol sets none (documented in docs/protocol.md).</summary>
    public const double DefaultTarget = 0.7;

    public sealed record WaveInfo(int Id, string Code, string Status);

    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<WaveCohortFigures> Figures { get; private set; } = [];
    public IReadOnlyList<WaveInfo> Waves { get; private set; } = [];
    public IReadOnlyList<DueRow> Due { get; private set; } = [];
    public IReadOnlyList<string> CompletedAfterColumns { get; private set; } = [];
    public int MaxReminders { get; private set; }
    public double Target { get; private set; } = DefaultTarget;

    /// <summary>True when the protocol set the target, false when <see cref="DefaultTarget"/> stands in.</summary>
    public bool TargetFromProtocol { get; private set; }
    public int UndeliverableParticipants { get; private set; }
    public ConsentCounts Consent { get; private set; } = new(false, 0, 0, 0);

    /// <summary>How long contact details are kept (the protocol's contact_retention_months), as one line in the staff member's language.</summary>
    public string Retention { get; private set; } = "";

    /// <summary>The bounce mailbox's last 30 days: this study's bounces and complaints, the mailbox's forged and unparsed reports.</summary>
    public RecoveryStudy.Bounces.BounceCounts Bounces { get; private set; } = new(0, 0, 0, 0, 0);
    /// <summary>Cohort names by code: the pages show names, the rows keep the code as their key.</summary>
    public IReadOnlyDictionary<string, string> CohortNames { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().SingleOrDefaultAsync(s => s.Id == studyId, ct);
        if (study is null)
        {
            return NotFound();
        }
        Nav = new StudyNav(study.Id, study.Code, study.Status, "dashboard", study.TimeZone);
        // A target written as a percentage (80) or as a fraction (0.8) means the same.
        TargetFromProtocol = study.ResponseRateTarget is not null;
        Retention = RetentionLine(study.ContactRetentionMonths, study.RetentionWarnedAt, study.ContactsErasedAt);
        Target = study.ResponseRateTarget is decimal t ? (double)(t > 1 ? t / 100 : t) : DefaultTarget;
        Figures = await DashboardFigures.ComputeAsync(db, dataSource, studyId, HttpContext.ParticipantSites(), ct);
        Waves = await db.Waves.AsNoTracking().Where(w => w.StudyId == studyId).OrderBy(w => w.Position).ThenBy(w => w.Code)
            .Select(w => new WaveInfo(w.Id, w.Code, w.Status)).ToListAsync(ct);
        CompletedAfterColumns = Figures.SelectMany(f => f.CompletedAfter.Keys).Distinct().OrderBy(DashboardFigures.Order).ToList();
        MaxReminders = Figures.SelectMany(f => f.RemindedTimes.Keys).DefaultIfEmpty(0).Max();
        UndeliverableParticipants = await db.Participants.CountAsync(
            p => p.StudyId == studyId && p.UndeliverableAt != null && p.Status == ParticipantStatus.Active, ct);
        Bounces = await RecoveryStudy.Bounces.BounceCounts.ForStudyAsync(dataSource, studyId, clock.GetUtcNow().UtcDateTime, ct);
        Due = await LoadDueAsync(studyId, ct);
        Consent = await ConsentCounts.ForStudyAsync(db, studyId, study.CurrentProtocolVersionId, ct);
        CohortNames = await db.Cohorts.AsNoTracking().Where(c => c.StudyId == studyId).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        return Page();
    }

    /// <summary>The cohort's name ("Course edition 8"), or the row's label for all cohorts and for participants without one.</summary>
    public string CohortName(WaveCohortFigures row) =>
        row.Cohort is { } code && CohortNames.TryGetValue(code, out var name) && !string.IsNullOrWhiteSpace(name) ? name : CohortCode(row);

    /// <summary>The cohort's code, or "All cohorts" and "(none)" in the staff member's language.</summary>
    public string CohortCode(WaveCohortFigures row) => row.Cohort switch
    {
        null => text["Dashboard_AllCohorts"],
        ResponseReport.NoCohort => text["Dashboard_NoCohort"],
        _ => row.CohortLabel,
    };

    /// <summary>The steps of one cohort's row in the per-cohort steps table: those that sent email or were followed by a completion or an opt-out.</summary>
    public IReadOnlyList<string> StepsOf(WaveCohortFigures row) =>
        Steps().Where(s => row.SentByStep.GetValueOrDefault(s) > 0 || row.CompletedAfter.GetValueOrDefault(s) > 0 || row.OptedOutAfter.GetValueOrDefault(s) > 0).ToList();

    public IEnumerable<WaveCohortFigures> BelowTarget() =>
        Figures.Where(f => f.Cohort is null && f.ResponseRate is double rate && rate < Target);

    /// <summary>The email steps of the steps table: the standard five, and any further reminder that was sent.</summary>
    public IReadOnlyList<string> Steps() =>
        DashboardFigures.StandardSteps.Concat(Figures.SelectMany(f => f.SentByStep.Keys)).Distinct().OrderBy(DashboardFigures.Order).ToList();

    /// <summary>The days of the next-7-days table: today to the sixth day after, and any later day with email.</summary>
    public IReadOnlyList<DateOnly> DueDays()
    {
        var today = Nav.Time.Day(clock.GetUtcNow().UtcDateTime);
        var last = Due.Select(d => d.Day).Append(today.AddDays(6)).Max();
        return Enumerable.Range(0, last.DayNumber - today.DayNumber + 1).Select(today.AddDays).ToList();
    }

    /// <summary>The steps with email in the next 7 days, in step order.</summary>
    public IReadOnlyList<string> DueSteps() => Due.Select(d => d.Kind).Distinct().OrderBy(DashboardFigures.Order).ToList();

    public int DueCount(DateOnly day, string step) => Due.Where(d => d.Day == day && d.Kind == step).Sum(d => d.Count);

    /// <summary>Queued email due within the next 7 days (or overdue), by local day in the study's time zone.</summary>
    private async Task<IReadOnlyList<DueRow>> LoadDueAsync(int studyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now.AddDays(7);
        var queued = await db.Messages.AsNoTracking()
            .Where(m => m.Invitation!.StudyId == studyId && m.Status == MessageStatus.Queued && m.NextAttemptAt < until)
            .Where(m => db.Participants.Any(p => p.Id == m.Invitation!.ParticipantId)) // a site-limited member counts their sites' email only
            .Select(m => new { m.NextAttemptAt, m.Kind, m.Step, Wave = m.Invitation!.Wave!.Code })
            .ToListAsync(ct);
        return queued
            .GroupBy(m => (Day: Nav.Time.Day(m.NextAttemptAt < now ? now : m.NextAttemptAt),
                m.Wave, Kind: DashboardFigures.Label(m.Kind, m.Step)))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Wave, StringComparer.Ordinal).ThenBy(g => DashboardFigures.Order(g.Key.Kind))
            .Select(g => new DueRow(g.Key.Day, g.Key.Wave, g.Key.Kind, g.Count()))
            .ToList();
    }

    /// <summary>"12 points below the target", "on target", or "–" while nobody is invited.</summary>
    public string AgainstTarget(double? rate)
    {
        if (rate is not double r)
        {
            return "–";
        }
        var points = (int)Math.Round((r - Target) * 100, MidpointRounding.AwayFromZero);
        return points switch
        {
            < 0 => text.Plural("Dashboard_Below", -points),
            0 => text["Dashboard_OnTarget"],
            _ => text.Plural("Dashboard_Above", points),
        };
    }

    public static string Percent(double? rate) =>
        rate is double r ? Math.Round(r * 100, MidpointRounding.AwayFromZero).ToString(System.Globalization.CultureInfo.InvariantCulture) + "%" : "–";

    /// <summary>The retention line: erased (when), kept (no setting), or the months set with the warning sent or to come.</summary>
    private string RetentionLine(int? months, DateTime? warnedAt, DateTime? erasedAt) => (months, erasedAt) switch
    {
        (_, { } erased) => text["Retention_Erased", Nav.Time.At(erased)],
        (null, _) => text["Retention_Kept"],
        ({ } m, _) => text["Retention_Set", text.Plural("Retention_Months", m)] + " "
            + (warnedAt is { } w ? text["Retention_Warned", Nav.Time.At(w)] : text["Retention_WillWarn", DataRights.ContactRetentionJob.WarningDays]),
    };
}
