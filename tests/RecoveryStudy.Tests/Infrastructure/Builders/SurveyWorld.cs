using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Studies;
using RecoveryStudy.Survey;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>
/// A study with one wave of two instruments that use every item type, one invitation with its
/// links and queued reminders: what the participant page tests answer. Built with EF directly.
/// </summary>
public sealed class SurveyWorld
{
    public required Study Study { get; init; }
    public required Wave Wave { get; init; }
    public required Participant Participant { get; init; }
    public required Invitation Invitation { get; init; }
    public required InstrumentVersion Course { get; init; }
    public required InstrumentVersion OldCourse { get; init; }
    public required InstrumentVersion Wellbeing { get; init; }
    public required string SurveyToken { get; init; }
    public required string UnsubscribeToken { get; init; }

    public static LocalizedText Text(string en, string? pl = null, string? da = null) =>
        new(new Dictionary<string, string> { ["en"] = en, ["pl"] = pl ?? en + " (pl)", ["da"] = da ?? en + " (da)" });

    public static async Task<SurveyWorld> CreateAsync(StudyDbContext db, string language = "en", DateTime? now = null)
    {
        var at = now ?? DateTime.UtcNow;
        var code = "s" + Guid.NewGuid().ToString("N")[..10];
        var study = new Study
        {
            Code = code, Title = Text("Recovery course follow-up", "Badanie kursu", "Opfølgning på kurset"), TimeZone = "Europe/Warsaw",
            Languages = ["en", "pl", "da"], SenderName = "Study team", SenderEmail = "study@example.org", ContactEmail = "team@example.org",
            Status = StudyStatus.Active, CreatedAt = at,
        };
        db.Studies.Add(study);
        await db.SaveChangesAsync();

        var course = new Instrument { StudyId = study.Id, Code = "course" };
        var wellbeing = new Instrument { StudyId = study.Id, Code = "wellbeing" };
        db.Instruments.AddRange(course, wellbeing);
        await db.SaveChangesAsync();
        var oldCourse = Version(course, 1, at, [Question("old_only", ItemType.ShortText, 1)]);
        var courseV2 = Version(course, 2, at,
        [
            Section("s_course", 1, "About the course"),
            Question("mod_useful", ItemType.Rating, 2, required: true, min: 1, max: 6),
            Question("recommend", ItemType.YesNo, 3, required: true),
            Question("attended", ItemType.SingleChoice, 4, required: true, options: [(1, "All sessions"), (2, "Most sessions"), (3, "A few sessions")]),
            Question("attended_why", ItemType.ShortText, 5, required: true, showIf: ("attended", [2, 3])),
            Section("s_views", 6, "Your views"),
            Question("topics", ItemType.MultipleChoice, 7, options: [(1, "Hope"), (2, "Ethics"), (3, "Peer work"), (4, "Self-care")]),
            Question("hours", ItemType.Number, 8, required: true, min: 0, max: 100),
            Question("not_recommend_why", ItemType.ShortText, 9, showIf: ("recommend", [0])),
            Question("finished_on", ItemType.Date, 10),
            Question("comments", ItemType.LongText, 11),
        ]);
        var wellbeingV1 = Version(wellbeing, 1, at,
        [
            Question("who_1", ItemType.Rating, 1, required: true, options: [(0, "At no time"), (1, "Some of the time"), (2, "Less than half"), (3, "More than half"), (4, "Most of the time"), (5, "All of the time")]),
            Question("who_2", ItemType.Rating, 2, required: true, options: [(0, "At no time"), (1, "Some of the time"), (2, "Less than half"), (3, "More than half"), (4, "Most of the time"), (5, "All of the time")]),
        ]);
        db.InstrumentVersions.AddRange(oldCourse, courseV2, wellbeingV1);

        var wave = new Wave
        {
            StudyId = study.Id, Code = "post_course", Position = 1, Title = Text("After the course", "Po kursie", "Efter kurset"),
            Intro = Text("A few questions about the course you finished."), Anchor = "course_end", WindowOpensDays = 0, WindowClosesDays = 28,
            Roles = ["trainee"], ReminderDays = [3, 7], EstimatedMinutes = 10,
        };
        db.Waves.Add(wave);
        var participant = new Participant
        {
            StudyId = study.Id, Code = "P-0042", Role = "trainee", Language = language, TimeZone = "Europe/Warsaw",
            EnrolledOn = DateOnly.FromDateTime(at), CreatedAt = at, UpdatedAt = at,
        };
        db.Participants.Add(participant);
        await db.SaveChangesAsync();
        db.WaveInstruments.AddRange(
            new WaveInstrument { WaveId = wave.Id, InstrumentId = course.Id, Position = 1 },
            new WaveInstrument { WaveId = wave.Id, InstrumentId = wellbeing.Id, Position = 2 });

        var invitation = new Invitation
        {
            StudyId = study.Id, ParticipantId = participant.Id, WaveId = wave.Id, Status = InvitationStatus.Sent,
            DueDate = DateOnly.FromDateTime(at), OpensAt = at.AddDays(-1), ClosesAt = at.AddDays(27), PlannedAt = at.AddDays(-2), SentAt = at.AddDays(-1),
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();

        var (surveyToken, surveyHash) = LinkTokens.Create();
        var (unsubscribeToken, unsubscribeHash) = LinkTokens.Create();
        db.AccessTokens.AddRange(
            new AccessToken { Hash = surveyHash, InvitationId = invitation.Id, Purpose = TokenPurpose.Survey, CreatedAt = at },
            new AccessToken { Hash = unsubscribeHash, InvitationId = invitation.Id, Purpose = TokenPurpose.Unsubscribe, CreatedAt = at });
        db.Messages.AddRange(
            Message(invitation, MessageKind.Invitation, 0, MessageStatus.Sent, at.AddDays(-1)),
            Message(invitation, MessageKind.Reminder, 1, MessageStatus.Queued, at.AddDays(2)),
            Message(invitation, MessageKind.Reminder, 2, MessageStatus.Queued, at.AddDays(6)),
            Message(invitation, MessageKind.LastChance, 0, MessageStatus.Queued, at.AddDays(24)));
        await db.SaveChangesAsync();

        return new SurveyWorld
        {
            Study = study, Wave = wave, Participant = participant, Invitation = invitation, Course = courseV2, OldCourse = oldCourse,
            Wellbeing = wellbeingV1, SurveyToken = surveyToken, UnsubscribeToken = unsubscribeToken,
        };
    }

    private static Message Message(Invitation invitation, string kind, int step, string status, DateTime due) => new()
    {
        InvitationId = invitation.Id, Kind = kind, Step = step, Status = status, DueAt = due, NextAttemptAt = due, CreatedAt = due.AddDays(-3),
        SentAt = status == MessageStatus.Sent ? due : null,
    };

    private static InstrumentVersion Version(Instrument instrument, int version, DateTime at, List<Item> items) => new()
    {
        InstrumentId = instrument.Id, Version = version, Title = Text(instrument.Code == "course" ? "About the course" : "Wellbeing", instrument.Code == "course" ? "O kursie" : "Samopoczucie", instrument.Code == "course" ? "Om kurset" : "Trivsel"),
        ContentHash = Guid.NewGuid().ToString("N"), CreatedAt = at, Items = items,
    };

    private static Item Section(string code, int position, string label) => new() { Code = code, Type = ItemType.Section, Position = position, Label = Text(label) };

    private static Item Question(string code, string type, int position, bool required = false, decimal? min = null, decimal? max = null,
        (int Code, string Label)[]? options = null, (string Code, int[] Codes)? showIf = null) => new()
    {
        Code = code, Type = type, Position = position, Required = required, Min = min, Max = max,
        Label = Text("Question " + code.Replace('_', ' ')),
        ShowIfItemCode = showIf?.Code, ShowIfCodes = showIf?.Codes,
        Options = (options ?? []).Select((o, i) => new ItemOption { Code = o.Code, Position = i + 1, Label = Text(o.Label) }).ToList(),
    };
}
