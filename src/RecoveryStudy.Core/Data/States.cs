namespace RecoveryStudy.Data;

// States are stored as readable lowercase strings (guarded by check constraints) so that
// hand-written SQL, the analytics views and exported files need no lookup table.

public static class StudyStatus
{
    public const string Draft = "draft";
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Closed = "closed";
    public static readonly string[] All = [Draft, Active, Paused, Closed];
}

public static class WaveStatus
{
    public const string Active = "active";
    public const string Paused = "paused";
    public static readonly string[] All = [Active, Paused];
}

public static class WaveKind
{
    public const string Questionnaire = "questionnaire";
    public const string Interview = "interview";
    public static readonly string[] All = [Questionnaire, Interview];
}

public static class ParticipantStatus
{
    public const string Active = "active";
    public const string Withdrawn = "withdrawn";

    /// <summary>
    /// Withdrawn and erased (docs/data-rights.md): a pseudonymous tombstone that keeps the study's
    /// counts whole; everywhere else it is treated as withdrawn.
    /// </summary>
    public const string Erased = "erased";
    public static readonly string[] All = [Active, Withdrawn, Erased];

    /// <summary>True for a participant who left the study: withdrawn, or withdrawn and erased.</summary>
    public static bool HasLeft(string status) => status is Withdrawn or Erased;
}

public static class InvitationStatus
{
    public const string Planned = "planned";
    public const string Sent = "sent";
    public const string Opened = "opened";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Expired = "expired";
    public const string Missed = "missed";
    public const string Withdrawn = "withdrawn";
    public const string Undeliverable = "undeliverable";
    public static readonly string[] All = [Planned, Sent, Opened, InProgress, Completed, Expired, Missed, Withdrawn, Undeliverable];

    /// <summary>States in which the invitation may still receive email and answers.</summary>
    public static readonly string[] Open = [Planned, Sent, Opened, InProgress];

    /// <summary><see cref="Open"/> as an SQL list, for statements and the index ix_invitation_open_closes_at.</summary>
    public static readonly string OpenSqlList = string.Join(", ", Open.Select(s => "'" + s + "'"));
}

public static class ParticipantMail
{
    /// <summary>
    /// Why no email may go to a participant at all, or null; the planner (<c>PlanState</c>) and the
    /// dispatcher (<c>DispatchCandidate</c>) both ask this.
    /// </summary>
    public static string? NoEmailReason(string participantStatus, DateTime? optedOutAt, DateTime? undeliverableAt) =>
        ParticipantStatus.HasLeft(participantStatus) ? "withdrawn"
        : optedOutAt is not null ? "opted_out"
        : undeliverableAt is not null ? "undeliverable"
        : null;
}

public static class MessageKind
{
    public const string Invitation = "invitation";
    public const string Reminder = "reminder";
    public const string LastChance = "last_chance";

    /// <summary>The copy of a signed consent (step = the consent version); not part of any wave's plan.</summary>
    public const string ConsentCopy = "consent_copy";
    public static readonly string[] All = [Invitation, Reminder, LastChance, ConsentCopy];
}

public static class MessageStatus
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>
    /// A reminder step passed over, never sent: it fell due while nothing was sent (a pause, an
    /// outage) and a later step was due too, so only the later one goes. The row keeps the step's
    /// number and says why in <c>cancel_reason</c>, so the console shows "reminder 1: skipped"
    /// before "reminder 2: sent" instead of a gap.
    /// </summary>
    public const string Skipped = "skipped";
    public static readonly string[] All = [Queued, Sending, Sent, Failed, Cancelled, Skipped];
}

public static class ResponseStatus
{
    public const string InProgress = "in_progress";
    public const string Complete = "complete";
    public const string Incomplete = "incomplete";
    public static readonly string[] All = [InProgress, Complete, Incomplete];
}

public static class ItemType
{
    public const string SingleChoice = "single_choice";
    public const string MultipleChoice = "multiple_choice";
    public const string Rating = "rating";
    public const string YesNo = "yes_no";
    public const string Number = "number";
    public const string Date = "date";
    public const string ShortText = "short_text";
    public const string LongText = "long_text";
    public const string Section = "section";
    public static readonly string[] All = [SingleChoice, MultipleChoice, Rating, YesNo, Number, Date, ShortText, LongText, Section];
}

public static class OffsetUnit
{
    public const string Days = "days";
    public const string Weeks = "weeks";
    public const string Months = "months";
    public static readonly string[] All = [Days, Weeks, Months];
}

public static class StaffRole
{
    public const string Admin = "admin";
    public const string Researcher = "researcher";
    public const string Analyst = "analyst";
    public static readonly string[] All = [Admin, Researcher, Analyst];
}

public static class TokenPurpose
{
    public const string Survey = "survey";
    public const string Unsubscribe = "unsubscribe";
    public static readonly string[] All = [Survey, Unsubscribe];
}

public static class ScoreMethod
{
    public const string Sum = "sum";
    public const string Mean = "mean";
    public static readonly string[] All = [Sum, Mean];
}
