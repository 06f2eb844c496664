using Microsoft.EntityFrameworkCore;
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
/// Builds analyst test data with EF directly: a study, instruments with versions, items, options
/// and scores, cohorts, waves, participants with contact details, invitations, responses, answers.
/// </summary>
public sealed class AnalystWorldBuilder(StudyDbContext db)
{
    public static readonly DateTime T0 = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    public Study Study { get; private set; } = null!;
    public Dictionary<string, Cohort> Cohorts { get; } = [];
    public Dictionary<string, Wave> Waves { get; } = [];
    public Dictionary<(string Instrument, int Version), InstrumentVersion> Versions { get; } = [];

    public async Task<AnalystWorldBuilder> StudyAsync(string code, params string[] waveCodes)
    {
        Study = new Study { Code = code, TimeZone = "Europe/Warsaw", SenderName = "Study team", SenderEmail = "team@example.org", CreatedAt = T0, Status = StudyStatus.Active };
        db.Studies.Add(Study);
        await db.SaveChangesAsync();
        var position = 0;
        foreach (var wave in waveCodes)
        {
            Waves[wave] = new Wave { StudyId = Study.Id, Code = wave, Position = ++position, Title = new() { ["en"] = wave }, Anchor = "course_start", OffsetValue = position * 30, WindowOpensDays = 0, WindowClosesDays = 21, Roles = ["trainee", "peer_worker"] };
            db.Waves.Add(Waves[wave]);
        }
        await db.SaveChangesAsync();
        return this;
    }

    public async Task CohortAsync(string code)
    {
        Cohorts[code] = new Cohort { StudyId = Study.Id, Code = code, Name = "Course edition " + code };
        db.Cohorts.Add(Cohorts[code]);
        await db.SaveChangesAsync();
    }

    /// <summary>An instrument version; items and scores are given by the caller.</summary>
    public async Task<InstrumentVersion> InstrumentAsync(string code, int version, Item[] items, Score[]? scores = null, params string[] waves)
    {
        var instrument = await db.Instruments.FirstOrDefaultAsync(i => i.StudyId == Study.Id && i.Code == code);
        if (instrument is null)
        {
            instrument = new Instrument { StudyId = Study.Id, Code = code };
            db.Instruments.Add(instrument);
            await db.SaveChangesAsync();
            foreach (var wave in waves)
            {
                db.WaveInstruments.Add(new WaveInstrument { WaveId = Waves[wave].Id, InstrumentId = instrument.Id, Position = instrument.Id });
            }
        }
        var v = new InstrumentVersion { InstrumentId = instrument.Id, Version = version, Title = new() { ["en"] = code + " questionnaire" }, ContentHash = new string('0', 63) + version, CreatedAt = T0 };
        var position = 0;
        foreach (var item in items)
        {
            item.Position = ++position;
            v.Items.Add(item);
        }
        v.Scores.AddRange(scores ?? []);
        db.InstrumentVersions.Add(v);
        await db.SaveChangesAsync();
        Versions[(code, version)] = v;
        return v;
    }

    public static Item Rating(string code, string label, int min, int max, params string[] optionLabels) => new()
    {
        Code = code, Type = ItemType.Rating, Label = new() { ["en"] = label }, Min = min, Max = max,
        Options = [.. optionLabels.Select((l, i) => new ItemOption { Code = min + i, Position = i, Label = new() { ["en"] = l } })],
    };

    public static Item Choice(string type, string code, string label, params (int Code, string Label)[] options) => new()
    {
        Code = code, Type = type, Label = new() { ["en"] = label },
        Options = [.. options.Select((o, i) => new ItemOption { Code = o.Code, Position = i, Label = new() { ["en"] = o.Label } })],
    };

    public static Item Plain(string type, string code, string label, string? showIf = null, params int[] showIfCodes) => new()
    {
        Code = code, Type = type, Label = new() { ["en"] = label }, ShowIfItemCode = showIf, ShowIfCodes = showIf is null ? null : showIfCodes,
    };

    public async Task<Participant> ParticipantAsync(string code, string role, string? cohort, string email, string name, bool withdrawn = false)
    {
        var p = new Participant
        {
            StudyId = Study.Id, Code = code, Role = role, CohortId = cohort is null ? null : Cohorts[cohort].Id, Language = "en", TimeZone = "Europe/Warsaw",
            EnrolledOn = DateOnly.FromDateTime(T0), CreatedAt = T0, UpdatedAt = T0,
            Status = withdrawn ? ParticipantStatus.Withdrawn : ParticipantStatus.Active, WithdrawnAt = withdrawn ? T0.AddDays(40) : null,
            Contact = new ContactDetails { StudyId = Study.Id, Email = email, Name = name, UpdatedAt = T0 },
        };
        db.Participants.Add(p);
        await db.SaveChangesAsync();
        return p;
    }

    public async Task<Invitation> InviteAsync(Participant participant, string wave, string status, int dayOffset = 0, int reminders = 0, int? completedAfterDays = null)
    {
        var due = T0.AddDays(Waves[wave].Position * 30 + dayOffset);
        var sent = status is InvitationStatus.Planned or InvitationStatus.Missed ? (DateTime?)null : due;
        var invitation = new Invitation
        {
            StudyId = Study.Id, ParticipantId = participant.Id, WaveId = Waves[wave].Id, Status = status, DueDate = DateOnly.FromDateTime(due),
            OpensAt = due, ClosesAt = due.AddDays(21), PlannedAt = T0, SentAt = sent,
            CompletedAt = status == InvitationStatus.Completed ? due.AddDays(completedAfterDays ?? 1) : null,
            ExpiredAt = status == InvitationStatus.Expired ? due.AddDays(21) : null,
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        if (sent is not null)
        {
            db.Messages.Add(new Message { InvitationId = invitation.Id, Kind = MessageKind.Invitation, Step = 0, Status = MessageStatus.Sent, DueAt = due, NextAttemptAt = due, SentAt = due, CreatedAt = T0 });
            for (var k = 1; k <= reminders; k++)
            {
                var at = due.AddDays(3 * k);
                db.Messages.Add(new Message { InvitationId = invitation.Id, Kind = MessageKind.Reminder, Step = k, Status = MessageStatus.Sent, DueAt = at, NextAttemptAt = at, SentAt = at, CreatedAt = T0 });
            }
            await db.SaveChangesAsync();
        }
        return invitation;
    }

    /// <summary>Answers by item code: int or decimal for a value, int[] for a multiple choice, string, DateOnly.</summary>
    public async Task<Response> RespondAsync(Invitation invitation, string instrument, int version, string status, params (string Item, object Value)[] answers)
    {
        var v = Versions[(instrument, version)];
        var at = invitation.SentAt ?? invitation.OpensAt;
        var response = new Response
        {
            InvitationId = invitation.Id, InstrumentVersionId = v.Id, Status = status, StartedAt = at, UpdatedAt = at,
            CompletedAt = status == ResponseStatus.Complete ? invitation.CompletedAt ?? at : null,
            Source = invitation.SentAt is null ? "import" : "web",
        };
        foreach (var (item, value) in answers)
        {
            var answer = new Answer { ItemId = v.Items.Single(i => i.Code == item).Id, AnsweredAt = at.AddMinutes(5) };
            switch (value)
            {
                case int n: answer.NumericValue = n; break;
                case decimal d: answer.NumericValue = d; break;
                case int[] codes: answer.Codes = codes; break;
                case string s: answer.TextValue = s; break;
                case DateOnly date: answer.DateValue = date; break;
                default: throw new ArgumentException("unsupported answer value", nameof(answers));
            }
            response.Answers.Add(answer);
        }
        db.Responses.Add(response);
        await db.SaveChangesAsync();
        return response;
    }
}
