using System.Globalization;
using RecoveryStudy.Data;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Protocol;

/// <summary>Hand-written mapping between the protocol's study settings, roles and anchors and the Study row.</summary>
internal static class StudyMapping
{
    public static void Fill(Study study, ProtocolDocument protocol)
    {
        var settings = protocol.Study;
        study.Title = new LocalizedText(settings.Title);
        study.TimeZone = settings.TimeZone;
        study.Languages = [.. settings.Languages];
        study.DefaultLanguage = settings.DefaultLanguage;
        study.SenderName = settings.Sender.Name;
        study.SenderEmail = settings.Sender.Email;
        study.ContactEmail = settings.ContactEmail;
        study.SendTime = Time(settings.Sending.SendTime);
        study.SendHoursStart = Time(settings.Sending.HoursFrom);
        study.SendHoursEnd = Time(settings.Sending.HoursTo);
        study.SendDays = [.. settings.Sending.Days.Select(d => Array.IndexOf(StudyStructure.DayNames, d) + 1).Order()];
        study.MaxEmailsPerParticipantPerDay = settings.Sending.MaxEmailsPerParticipantPerDay;
        study.ResponseRateTarget = settings.ResponseRateTarget;
        study.ContactRetentionMonths = settings.ContactRetentionMonths;
        study.Roles = [.. protocol.Roles.Select(r => new StudyRole { Code = r.Code, Title = new LocalizedText(r.Title) })];
        study.Anchors = [.. protocol.Anchors.Select(a => new StudyAnchor { Code = a.Code, Label = new LocalizedText(a.Label), Scope = a.Scope ?? AnchorScope.Participant })];
    }

    public static StudySettings ToSettings(Study study) => new()
    {
        Code = study.Code,
        Title = study.Title,
        TimeZone = study.TimeZone,
        Languages = [.. study.Languages],
        DefaultLanguage = study.DefaultLanguage,
        Sender = new SenderIdentity { Name = study.SenderName, Email = study.SenderEmail },
        ContactEmail = study.ContactEmail,
        Sending = new SendingRules
        {
            SendTime = Text(study.SendTime),
            HoursFrom = Text(study.SendHoursStart),
            HoursTo = Text(study.SendHoursEnd),
            Days = [.. study.SendDays.Order().Select(d => StudyStructure.DayNames[d - 1])],
            MaxEmailsPerParticipantPerDay = study.MaxEmailsPerParticipantPerDay,
        },
        ResponseRateTarget = study.ResponseRateTarget,
        ContactRetentionMonths = study.ContactRetentionMonths,
    };

    public static TimeOnly Time(string value) => TimeOnly.ParseExact(value, "HH:mm", CultureInfo.InvariantCulture);

    private static string Text(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
