using System.Text.Json.Serialization;
using RecoveryStudy.Data;

namespace RecoveryStudy.Protocol;

// The protocol file as C# records: one JSON document per study (snake_case property names,
// see docs/protocol.md and seeds/protocol.schema.json). Optional parts are nullable so that
// an exported document leaves out what the researcher left out.

/// <summary>A whole study definition: settings, roles, anchors, cohorts, instruments and waves.</summary>
public sealed record ProtocolDocument
{
    public int Format { get; init; } = 1;
    public StudySettings Study { get; init; } = new();
    public List<RoleDefinition> Roles { get; init; } = [];
    public List<AnchorDefinition> Anchors { get; init; } = [];
    public List<CohortDefinition>? Cohorts { get; init; }
    public List<InstrumentDefinition> Instruments { get; init; } = [];
    public List<WaveDefinition> Waves { get; init; } = [];

    /// <summary>Informed consent asked before the first instrument; null for a study without one.</summary>
    public ConsentDefinition? Consent { get; init; }
}

public sealed record StudySettings
{
    public string Code { get; init; } = "";
    public LocalizedText Title { get; init; } = new();
    public string TimeZone { get; init; } = "";
    public List<string> Languages { get; init; } = [];
    public string DefaultLanguage { get; init; } = "";
    public SenderIdentity Sender { get; init; } = new();
    public string? ContactEmail { get; init; }
    public SendingRules Sending { get; init; } = new();
    public decimal? ResponseRateTarget { get; init; }

    /// <summary>Months the participants' contact details are kept after the last wave closes; null keeps them (docs/data-rights.md).</summary>
    public int? ContactRetentionMonths { get; init; }
}

public sealed record SenderIdentity
{
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
}

/// <summary>When email may go out, in the participant's local time. Times are "HH:mm", days "mon".."sun".</summary>
public sealed record SendingRules
{
    public string SendTime { get; init; } = "09:00";
    public string HoursFrom { get; init; } = "08:00";
    public string HoursTo { get; init; } = "20:00";
    public List<string> Days { get; init; } = ["mon", "tue", "wed", "thu", "fri"];
    public int MaxEmailsPerParticipantPerDay { get; init; } = 1;
}

public sealed record RoleDefinition
{
    public string Code { get; init; } = "";
    public LocalizedText Title { get; init; } = new();
}

/// <summary>A named date that waves count from (course_start, employment_start, ...).</summary>
public sealed record AnchorDefinition
{
    public string Code { get; init; } = "";
    public LocalizedText Label { get; init; } = new();

    /// <summary><c>team</c>: only a cohort (team) gives this date, never a participant; left out for the default, <c>participant</c>.</summary>
    public string? Scope { get; init; }
}

public sealed record CohortDefinition
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>Anchor code to ISO date; a participant's own date overrides it.</summary>
    public Dictionary<string, DateOnly>? Anchors { get; init; }
}

public sealed record InstrumentDefinition
{
    public string Code { get; init; } = "";
    public LocalizedText Title { get; init; } = new();
    public LocalizedText? Intro { get; init; }
    public string? Source { get; init; }
    public string? Licence { get; init; }
    public List<ItemDefinition> Items { get; init; } = [];
    public List<ScoreDefinition>? Scores { get; init; }
}

public sealed record ItemDefinition
{
    public string Code { get; init; } = "";
    public string Type { get; init; } = "";
    public LocalizedText Label { get; init; } = new();
    public LocalizedText? Help { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Required { get; init; }
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }
    public List<OptionDefinition>? Options { get; init; }
    public ShowIfDefinition? ShowIf { get; init; }
}

public sealed record OptionDefinition
{
    public int Code { get; init; }
    public LocalizedText Label { get; init; } = new();
}

/// <summary>Show an item only when an earlier item's answer has one of these codes (yes/no: 1 = yes, 0 = no).</summary>
public sealed record ShowIfDefinition
{
    public string Item { get; init; } = "";
    public List<int> Codes { get; init; } = [];
}

public sealed record ScoreDefinition
{
    public string Code { get; init; } = "";
    public LocalizedText Label { get; init; } = new();
    public string Method { get; init; } = "";
    public List<string> Items { get; init; } = [];
    public List<string>? Reverse { get; init; }
    public int? MinAnswered { get; init; }
    public decimal? Multiplier { get; init; }
}

public sealed record WaveDefinition
{
    public string Code { get; init; } = "";

    /// <summary>"questionnaire" (the default, left out on export) or "interview": a task for the study team, with no instruments or emails.</summary>
    public string? Kind { get; init; }
    public LocalizedText Title { get; init; } = new();
    public LocalizedText? Intro { get; init; }
    public string Anchor { get; init; } = "";
    public OffsetDefinition Offset { get; init; } = new();
    public WindowDefinition Window { get; init; } = new();
    public List<string> Roles { get; init; } = [];
    public List<string> Instruments { get; init; } = [];
    public ReminderPolicy Reminders { get; init; } = new();
    public int? EstimatedMinutes { get; init; }

    /// <summary>Interview waves: the interviewer is reminded this many days before the window closes (default 7).</summary>
    public int? InterviewerReminderDaysBefore { get; init; }

    /// <summary>Interview waves: only participants flagged with this name (roster column flag_&lt;name&gt;, or the console) get a task.</summary>
    public string? RequiresFlag { get; init; }
    /// <summary>Interview waves: true emails the participant an invitation to book one of the offered times (left out when false).</summary>
    public bool? Booking { get; init; }
    public WaveEmails Emails { get; init; } = new();

    [JsonIgnore]
    public bool IsInterview => Kind == WaveKind.Interview;
}

/// <summary>Exactly one of days, weeks or (calendar) months after the anchor; days and weeks may be negative.</summary>
public sealed record OffsetDefinition
{
    public int? Days { get; init; }
    public int? Weeks { get; init; }
    public int? Months { get; init; }
}

/// <summary>Days relative to the due date on which the window opens (0 or earlier) and closes (later).</summary>
public sealed record WindowDefinition
{
    public int OpensDays { get; init; }
    public int ClosesDays { get; init; }
}

public sealed record ReminderPolicy
{
    public List<int> Days { get; init; } = [];
    public int? LastChanceDaysBefore { get; init; }
}

public sealed record WaveEmails
{
    public EmailDefinition Invitation { get; init; } = new();
    public List<EmailDefinition>? Reminders { get; init; }
    public EmailDefinition? LastChance { get; init; }
}

public sealed record EmailDefinition
{
    public LocalizedText Subject { get; init; } = new();
    public LocalizedText Body { get; init; } = new();
}
