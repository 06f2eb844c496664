using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Studies;
using RecoveryStudy.Survey;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>
/// A study with two cohorts and a known mix of invitation states in wave "baseline", so that
/// every figure on the dashboard has a value the test knows in advance.
/// </summary>
public sealed class ConsoleWorld
{
    public required Study Study { get; init; }
    public required Wave Baseline { get; init; }
    public required Wave Post { get; init; }
    public required Cohort CohortA { get; init; }
    public required Cohort CohortB { get; init; }
    public required Dictionary<string, Participant> Participants { get; init; }
    public required Dictionary<string, Invitation> Invitations { get; init; }
    public required Dictionary<string, Message> FailedMessages { get; init; }

    public static async Task<ConsoleWorld> CreateAsync(StudyDbContext db)
    {
        var now = DateTime.UtcNow;
        var start = now.AddDays(-20);
        var study = new Study
        {
            Code = "s" + Guid.NewGuid().ToString("N")[..8], TimeZone = "Europe/Warsaw", SenderName = "Study team",
            SenderEmail = "study@example.org", CreatedAt = now, Status = StudyStatus.Active, ResponseRateTarget = 0.8m,
            Title = new LocalizedText { ["en"] = "Console test study" },
        };
        db.Studies.Add(study);
        await db.SaveChangesAsync();
        var cohortA = new Cohort { StudyId = study.Id, Code = "ed8", Name = "Course edition 8", Anchors = [new CohortAnchor { Name = "course_start", Date = DateOnly.FromDateTime(start) }] };
        var cohortB = new Cohort { StudyId = study.Id, Code = "fact1", Name = "FACT team 1" };
        var baseline = new Wave { StudyId = study.Id, Code = "baseline", Position = 1, Anchor = "course_start", WindowOpensDays = 0, WindowClosesDays = 14, Roles = ["trainee"], ReminderDays = [3, 7] };
        var post = new Wave { StudyId = study.Id, Code = "post", Position = 2, Anchor = "course_end", WindowOpensDays = 0, WindowClosesDays = 14, Roles = ["trainee"] };
        db.AddRange(cohortA, cohortB, baseline, post);
        await db.SaveChangesAsync();

        var participants = new Dictionary<string, Participant>();
        var invitations = new Dictionary<string, Invitation>();
        var failed = new Dictionary<string, Message>();
        for (var n = 1; n <= 10; n++)
        {
            var code = $"P-{n:0000}";
            var p = new Participant
            {
                StudyId = study.Id, CohortId = n <= 6 ? cohortA.Id : cohortB.Id, Code = code, Role = "trainee", Language = "en",
                TimeZone = "Europe/Warsaw", EnrolledOn = DateOnly.FromDateTime(start), CreatedAt = now, UpdatedAt = now,
                Contact = new ContactDetails { StudyId = study.Id, Email = $"person{n}-{study.Code}@example.org", Name = $"Person {n}", UpdatedAt = now },
            };
            participants[code] = p;
            db.Participants.Add(p);
        }
        await db.SaveChangesAsync();

        Invitation Invite(string code, string status, DateTime? sentAt)
        {
            var i = new Invitation
            {
                StudyId = study.Id, ParticipantId = participants[code].Id, WaveId = baseline.Id, Status = status,
                DueDate = DateOnly.FromDateTime(start), OpensAt = start, ClosesAt = start.AddDays(30), PlannedAt = start, SentAt = sentAt,
            };
            invitations[code] = i;
            db.Invitations.Add(i);
            return i;
        }

        // Cohort ed8
        var p1 = Invite("P-0001", InvitationStatus.Completed, start); p1.FirstOpenedAt = start.AddHours(2); p1.CompletedAt = start.AddDays(1);
        var p2 = Invite("P-0002", InvitationStatus.Completed, start); p2.FirstOpenedAt = start.AddDays(3.5); p2.CompletedAt = start.AddDays(4);
        var p3 = Invite("P-0003", InvitationStatus.InProgress, start); p3.FirstOpenedAt = start.AddDays(8);
        Invite("P-0004", InvitationStatus.Expired, start).ExpiredAt = start.AddDays(14);
        Invite("P-0005", InvitationStatus.Undeliverable, null);
        participants["P-0005"].UndeliverableAt = start;
        Invite("P-0006", InvitationStatus.Withdrawn, start);
        participants["P-0006"].Status = ParticipantStatus.Withdrawn;
        // Cohort fact1
        var p7 = Invite("P-0007", InvitationStatus.Completed, start); p7.FirstOpenedAt = start.AddDays(7.5); p7.CompletedAt = start.AddDays(8);
        Invite("P-0008", InvitationStatus.Opened, start).FirstOpenedAt = start.AddDays(1);
        Invite("P-0009", InvitationStatus.Missed, null);
        Invite("P-0010", InvitationStatus.Planned, null);
        await db.SaveChangesAsync();

        void Sent(string code, string kind, int step, double day) => db.Messages.Add(new Message
        {
            InvitationId = invitations[code].Id, Kind = kind, Step = step, Status = MessageStatus.Sent,
            DueAt = start.AddDays(day), NextAttemptAt = start.AddDays(day), SentAt = start.AddDays(day), Attempts = 1, CreatedAt = start,
        });
        foreach (var code in new[] { "P-0001", "P-0002", "P-0003", "P-0004", "P-0006", "P-0007", "P-0008" })
        {
            Sent(code, MessageKind.Invitation, 0, 0);
        }
        Sent("P-0002", MessageKind.Reminder, 1, 3);
        Sent("P-0003", MessageKind.Reminder, 1, 3);
        Sent("P-0003", MessageKind.Reminder, 2, 7);
        Sent("P-0004", MessageKind.Reminder, 1, 3);
        Sent("P-0004", MessageKind.Reminder, 2, 7);
        Sent("P-0004", MessageKind.LastChance, 0, 12);
        Sent("P-0007", MessageKind.Reminder, 1, 3);
        Sent("P-0007", MessageKind.Reminder, 2, 7);
        failed["P-0005"] = new Message
        {
            InvitationId = invitations["P-0005"].Id, Kind = MessageKind.Invitation, Step = 0, Status = MessageStatus.Failed,
            DueAt = start, NextAttemptAt = start, Attempts = 1, LastError = "550 5.1.1 mailbox unavailable", CreatedAt = start,
        };
        failed["P-0008"] = new Message
        {
            InvitationId = invitations["P-0008"].Id, Kind = MessageKind.Reminder, Step = 1, Status = MessageStatus.Failed,
            DueAt = start.AddDays(3), NextAttemptAt = start.AddDays(3), Attempts = 5, LastError = "451 4.3.0 try again later", CreatedAt = start,
        };
        db.Messages.AddRange(failed.Values);
        db.Messages.Add(new Message
        {
            InvitationId = invitations["P-0010"].Id, Kind = MessageKind.Invitation, Step = 0, Status = MessageStatus.Queued,
            DueAt = now.AddDays(2), NextAttemptAt = now.AddDays(2), CreatedAt = now,
        });
        foreach (var code in new[] { "P-0001", "P-0002", "P-0003", "P-0007" })
        {
            db.Responses.Add(new Response
            {
                InvitationId = invitations[code].Id, InstrumentVersionId = await InstrumentVersionAsync(db, study.Id),
                Status = code == "P-0003" ? ResponseStatus.InProgress : ResponseStatus.Complete, StartedAt = start, UpdatedAt = start,
            });
        }
        db.AccessTokens.Add(new AccessToken { Hash = LinkTokens.Create().Hash, InvitationId = invitations["P-0008"].Id, Purpose = TokenPurpose.Survey, CreatedAt = start });
        await db.SaveChangesAsync();
        return new ConsoleWorld
        {
            Study = study, Baseline = baseline, Post = post, CohortA = cohortA, CohortB = cohortB,
            Participants = participants, Invitations = invitations, FailedMessages = failed,
        };
    }

    private static async Task<int> InstrumentVersionAsync(StudyDbContext db, int studyId)
    {
        var instrument = db.Instruments.Local.FirstOrDefault(i => i.StudyId == studyId);
        if (instrument is null)
        {
            instrument = new Instruments.Instrument { StudyId = studyId, Code = "who5" };
            instrument.Versions.Add(new Instruments.InstrumentVersion
            {
                Version = 1, ContentHash = "x", CreatedAt = DateTime.UtcNow, Title = new LocalizedText { ["en"] = "WHO-5" },
                Items =
                [
                    new Instruments.Item { Code = "who5_1", Position = 1, Type = ItemType.Rating, Min = 0, Max = 5, Required = true, Label = new LocalizedText { ["en"] = "I have felt cheerful" } },
                    new Instruments.Item { Code = "note", Position = 2, Type = ItemType.LongText, Label = new LocalizedText { ["en"] = "Anything else?" } },
                ],
            });
            db.Instruments.Add(instrument);
            await db.SaveChangesAsync();
        }
        return instrument.Versions[0].Id;
    }
}
