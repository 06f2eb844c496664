using RecoveryStudy.Data;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Protocol;

/// <summary>Hand-written mapping between a wave's protocol definition and the Wave row (instruments aside).</summary>
internal static class WaveMapping
{
    public static void Fill(Wave wave, WaveDefinition definition, int position)
    {
        wave.Position = position;
        wave.Kind = definition.IsInterview ? WaveKind.Interview : WaveKind.Questionnaire;
        wave.InterviewerReminderDaysBefore = definition.IsInterview ? definition.InterviewerReminderDaysBefore : null;
        wave.RequiresFlag = definition.IsInterview ? definition.RequiresFlag : null;
        wave.InterviewBooking = definition.IsInterview && definition.Booking == true;
        wave.Title = new LocalizedText(definition.Title);
        wave.Intro = new LocalizedText(definition.Intro ?? new LocalizedText());
        wave.Anchor = definition.Anchor;
        (wave.OffsetValue, wave.OffsetUnit) = definition.Offset switch
        {
            { Months: { } months } => (months, OffsetUnit.Months),
            { Weeks: { } weeks } => (weeks, OffsetUnit.Weeks),
            _ => (definition.Offset.Days ?? 0, OffsetUnit.Days),
        };
        wave.WindowOpensDays = definition.Window.OpensDays;
        wave.WindowClosesDays = definition.Window.ClosesDays;
        wave.Roles = [.. definition.Roles];
        wave.ReminderDays = [.. definition.Reminders.Days];
        wave.LastChanceDaysBefore = definition.Reminders.LastChanceDaysBefore;
        wave.EstimatedMinutes = definition.EstimatedMinutes ?? 0;
        wave.Emails = new WaveEmailTexts
        {
            Invitation = Email(definition.Emails.Invitation),
            Reminders = [.. (definition.Emails.Reminders ?? []).Select(Email)],
            LastChance = definition.Emails.LastChance is null ? null : Email(definition.Emails.LastChance),
        };
    }

    public static WaveDefinition ToDefinition(Wave wave, List<string> instrumentCodes) => new()
    {
        Code = wave.Code,
        Kind = wave.Kind == WaveKind.Interview ? WaveKind.Interview : null,
        InterviewerReminderDaysBefore = wave.InterviewerReminderDaysBefore,
        RequiresFlag = wave.RequiresFlag,
        Booking = wave.InterviewBooking ? true : null,
        Title = wave.Title,
        Intro = InstrumentMapping.NullIfEmpty(wave.Intro),
        Anchor = wave.Anchor,
        Offset = wave.OffsetUnit switch
        {
            OffsetUnit.Months => new OffsetDefinition { Months = wave.OffsetValue },
            OffsetUnit.Weeks => new OffsetDefinition { Weeks = wave.OffsetValue },
            _ => new OffsetDefinition { Days = wave.OffsetValue },
        },
        Window = new WindowDefinition { OpensDays = wave.WindowOpensDays, ClosesDays = wave.WindowClosesDays },
        Roles = [.. wave.Roles],
        Instruments = instrumentCodes,
        Reminders = new ReminderPolicy { Days = [.. wave.ReminderDays], LastChanceDaysBefore = wave.LastChanceDaysBefore },
        EstimatedMinutes = wave.EstimatedMinutes == 0 ? null : wave.EstimatedMinutes,
        Emails = new WaveEmails
        {
            Invitation = Email(wave.Emails.Invitation),
            Reminders = wave.Emails.Reminders.Count == 0 ? null : [.. wave.Emails.Reminders.Select(Email)],
            LastChance = wave.Emails.LastChance is null ? null : Email(wave.Emails.LastChance),
        },
    };

    private static EmailText Email(EmailDefinition email) =>
        new() { Subject = new LocalizedText(email.Subject), Body = new LocalizedText(email.Body) };

    private static EmailDefinition Email(EmailText email) =>
        new() { Subject = email.Subject, Body = email.Body };
}
