using NodaTime;

namespace RecoveryStudy.Scheduling;

// What the planner needs to know and what it decides, as plain records: the plan job reads
// them from the database in bulk, the dry run builds them the same way, tests build them by hand.

/// <summary>A participant as the planner sees it; anchors already merged (own dates over the cohort's).</summary>
public sealed record PlanParticipant(
    int Id,
    string Role,
    LocalDate EnrolledOn,
    IReadOnlyDictionary<string, LocalDate> Anchors,
    SendRules Rules,
    string? NoEmailReason,
    IReadOnlyCollection<string>? Flags = null)
{
    /// <summary>Whether the participant carries a flag a wave requires (<c>requires_flag</c>); a wave without one applies to all.</summary>
    public bool Carries(string? flag) => flag is null || (Flags?.Contains(flag, StringComparer.Ordinal) ?? false);
}

/// <summary>A wave's timing and reminder policy.</summary>
public sealed record PlanWave(
    int Id,
    string Code,
    string Anchor,
    int OffsetValue,
    string OffsetUnit,
    int WindowOpensDays,
    int WindowClosesDays,
    IReadOnlyList<string> Roles,
    IReadOnlyList<int> ReminderDays,
    int? LastChanceDaysBefore,
    string Kind = Data.WaveKind.Questionnaire,
    string? RequiresFlag = null)
{
    /// <summary>An interview wave: its participants get a task for the study team (<c>InterviewPlanner</c>), no email.</summary>
    public bool IsInterview => Kind == Data.WaveKind.Interview;
}

/// <summary>An invitation that already exists.</summary>
public sealed record ExistingInvitation(
    long Id,
    int WaveId,
    string Status,
    LocalDate DueDate,
    Instant OpensAt,
    Instant ClosesAt,
    Instant? SentAt,
    bool RemindersStopped);

/// <summary>A message that already exists.</summary>
public sealed record ExistingMessage(
    long Id,
    long InvitationId,
    string Kind,
    int Step,
    string Status,
    Instant DueAt,
    Instant? SentAt,
    string? CancelReason);

/// <summary>One participant's plan for one wave.</summary>
public sealed record PlannedInvitation(
    int WaveId,
    string WaveCode,
    LocalDate DueDate,
    Instant OpensAt,
    Instant ClosesAt,
    string Status,
    string? Reason,
    IReadOnlyList<PlannedEmail> Emails);

/// <summary>
/// One email the plan wants sent (or that was sent: <see cref="SentAt"/> set, or that is passed over:
/// <see cref="SkippedBecause"/> set, recorded as a 'skipped' message that keeps its step number).
/// </summary>
public sealed record PlannedEmail(int WaveId, string Kind, int Step, Instant DueAt, Instant? SentAt = null, string? SkippedBecause = null)
{
    /// <summary>Sent, or skipped for good: nothing more to do for it.</summary>
    public bool Settled => SentAt is not null || SkippedBecause is not null;
}
