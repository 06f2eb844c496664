using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Mail;

/// <summary>A due message with everything needed to decide on it and to write it, read in the claiming query.</summary>
public sealed class DispatchCandidate
{
    public long Id { get; init; }
    public long InvitationId { get; init; }
    public string Kind { get; init; } = "";
    public int Step { get; init; }
    public int Attempts { get; init; }
    public DateTime DueAt { get; init; }
    public DateTime NextAttemptAt { get; init; }
    public string InvitationStatus { get; init; } = "";
    public DateTime ClosesAt { get; init; }
    public DateTime? RemindersStoppedAt { get; init; }
    public int ParticipantId { get; init; }
    public string ParticipantStatus { get; init; } = "";
    public DateTime? OptedOutAt { get; init; }
    public DateTime? UndeliverableAt { get; init; }
    public string TimeZone { get; init; } = "";
    public string Language { get; init; } = "";
    public string StudyTimeZone { get; init; } = "";
    public TimeSpan SendTime { get; init; }
    public TimeSpan SendHoursStart { get; init; }
    public TimeSpan SendHoursEnd { get; init; }
    public int[] SendDays { get; init; } = [];
    public int MaxEmailsPerParticipantPerDay { get; init; }
    public string DefaultLanguage { get; init; } = "";
    public string StudyTitle { get; init; } = "{}";
    public string SenderName { get; init; } = "";
    public string SenderEmail { get; init; } = "";
    public string? ContactEmail { get; init; }

    /// <summary>The study's protocol version when the message was read: the plan it was claimed under.</summary>
    public int? ProtocolVersionId { get; init; }

    /// <summary>The participant waits for a re-plan (never true in a claim, which skips them; read again at send time).</summary>
    public bool ScheduleStale { get; init; }
    public string WaveTitle { get; init; } = "{}";
    public string Emails { get; init; } = "{}";
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? FirstName { get; init; }
    public int EstimatedMinutes { get; init; }

    /// <summary>For a consent copy: the consent block it was given for (JSON), the clause answers (JSON), when and in which language.</summary>
    public string? ConsentDefinition { get; init; }
    public string? ConsentAnswers { get; init; }
    public DateTime? ConsentGivenAt { get; init; }
    public string? ConsentLanguage { get; init; }

    /// <summary>The study's sending rules in the participant's zone (shared between candidates, <see cref="MailGate.Rules"/>).</summary>
    public SendRules Rules() => rules ??= MailGate.Rules(TimeZone, StudyTimeZone, SendTime, SendHoursStart, SendHoursEnd, SendDays, MaxEmailsPerParticipantPerDay);

    private SendRules? rules;

    /// <summary>Why this message must not be sent at all any more, or null. Checked in the claiming transaction.</summary>
    public string? CancelReason(DateTime now) =>
        ParticipantMail.NoEmailReason(ParticipantStatus, OptedOutAt, UndeliverableAt)
        // A consent copy belongs to no wave window: the invitation may be finished before it goes.
        ?? (Kind == MessageKind.ConsentCopy ? (string.IsNullOrWhiteSpace(Email) ? "no_address" : null)
        : !Data.InvitationStatus.Open.Contains(InvitationStatus) ? "invitation_" + InvitationStatus
        : now >= ClosesAt ? "window_closed"
        : Kind != MessageKind.Invitation && RemindersStoppedAt is not null ? "reminders_stopped"
        : string.IsNullOrWhiteSpace(Email) ? "no_address"
        : null);
}
