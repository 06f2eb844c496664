using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Studies;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>
/// Builds small studies for the scheduling and mail tests directly with EF Core: a study in
/// Europe/Warsaw sending at 09:00 on weekdays (08:00-20:00), waves and participants as asked.
/// </summary>
public sealed class StudyBuilder(StudyDbContext db)
{
    public static readonly string[] Languages = ["en", "pl", "da"];

    public async Task<Study> StudyAsync(Action<Study>? configure = null)
    {
        var study = new Study
        {
            Code = "s" + Guid.NewGuid().ToString("N")[..8],
            TimeZone = "Europe/Warsaw",
            SenderName = "Zespół badania",
            SenderEmail = "study@example.org",
            ContactEmail = "team@example.org",
            Status = StudyStatus.Active,
            Languages = Languages,
            Title = new LocalizedText { ["en"] = "Recovery study", ["pl"] = "Badanie zdrowienia", ["da"] = "Recovery-undersøgelse" },
            CreatedAt = DateTime.UtcNow,
        };
        configure?.Invoke(study);
        db.Studies.Add(study);
        await db.SaveChangesAsync();
        return study;
    }

    public async Task<Wave> WaveAsync(Study study, string code, string anchor, int offset, string unit = OffsetUnit.Days,
        int opens = 0, int closes = 14, int[]? reminders = null, int? lastChance = null, string[]? roles = null, int position = 0)
    {
        var wave = new Wave
        {
            StudyId = study.Id, Code = code, Position = position, Anchor = anchor, OffsetValue = offset, OffsetUnit = unit,
            WindowOpensDays = opens, WindowClosesDays = closes, ReminderDays = reminders ?? [], LastChanceDaysBefore = lastChance,
            Roles = roles ?? [],
            Title = new LocalizedText { ["en"] = "Follow-up " + code, ["pl"] = "Badanie kontrolne " + code, ["da"] = "Opfølgning " + code },
            Emails = Texts(),
        };
        db.Waves.Add(wave);
        await db.SaveChangesAsync();
        return wave;
    }

    public async Task<Participant> ParticipantAsync(Study study, string code, DateOnly enrolledOn, Dictionary<string, DateOnly>? anchors = null,
        string language = "en", string timeZone = "Europe/Warsaw", string role = "trainee", string? email = null, string? name = "Anna Nowak",
        int? cohortId = null, string? firstName = null)
    {
        var participant = new Participant
        {
            StudyId = study.Id, Code = code, Role = role, Language = language, TimeZone = timeZone, EnrolledOn = enrolledOn,
            CohortId = cohortId, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            Anchors = (anchors ?? []).Select(a => new ParticipantAnchor { Name = a.Key, Date = a.Value }).ToList(),
        };
        db.Participants.Add(participant);
        await db.SaveChangesAsync();
        db.ContactDetails.Add(new ContactDetails
        {
            ParticipantId = participant.Id, StudyId = study.Id, Email = email ?? code.ToLowerInvariant() + "@example.org", Name = name,
            FirstName = firstName,
            UpdatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
        return participant;
    }

    /// <summary>Email texts with every placeholder, per language, with Polish and Danish letters.</summary>
    public static WaveEmailTexts Texts() => new()
    {
        Invitation = new EmailText
        {
            Subject = new LocalizedText { ["en"] = "{wave_title}: your questionnaire", ["pl"] = "{wave_title}: ankieta – zażółć gęślą jaźń", ["da"] = "{wave_title}: spørgeskema – æøå ÆØÅ" },
            Body = new LocalizedText
            {
                ["en"] = "{salutation},\n\nPlease answer {wave_title} of {study_title}: {link}\n\nOpen until {close_date} ({days_left} days left).\n\nUnsubscribe: {unsubscribe_link}",
                ["pl"] = "{salutation},\n\nProsimy o wypełnienie ankiety {wave_title}: {link}\n\nAnkieta jest otwarta do {close_date} (pozostało dni: {days_left}). Zażółć gęślą jaźń.",
                ["da"] = "{salutation},\n\nBesvar venligst {wave_title}: {link}\n\nÅben til {close_date} ({days_left} dage tilbage). Rødgrød med fløde.",
            },
        },
        Reminders =
        [
            new EmailText { Subject = new LocalizedText { ["en"] = "Reminder 1: {wave_title}" }, Body = new LocalizedText { ["en"] = "{salutation},\n\nReminder one: {link} ({days_left} days left)" } },
            new EmailText { Subject = new LocalizedText { ["en"] = "Reminder 2: {wave_title}" }, Body = new LocalizedText { ["en"] = "{salutation},\n\nReminder two: {link} ({days_left} days left)" } },
        ],
        LastChance = new EmailText { Subject = new LocalizedText { ["en"] = "Last chance: {wave_title}" }, Body = new LocalizedText { ["en"] = "{salutation},\n\nLast chance until {close_date}: {link}" } },
    };

    public static DateTimeOffset Warsaw(int year, int month, int day, int hour = 0, int minute = 0)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}

/// <summary>The jobs wired as the host wires them, on a test database, a fake clock and a chosen transport.</summary>
public sealed class Jobs(NpgsqlDataSource dataSource, FakeTimeProvider clock, IMailTransport? transport = null, MailOptions? mail = null)
{
    public FakeTimeProvider Clock => clock;
    public MailOptions Mail { get; } = mail ?? new MailOptions { RatePerMinute = 0, RetryBaseDelay = TimeSpan.FromMinutes(1) };

    public PlanJob Plan => new(dataSource, clock, NullLogger<PlanJob>.Instance);

    public ExpireJob Expire => new(dataSource, clock, NullLogger<ExpireJob>.Instance);

    public Dispatcher Dispatcher(IMailTransport? other = null) => new(dataSource, other ?? transport ?? throw new InvalidOperationException("no transport"),
        Options.Create(Mail), Options.Create(new PublicLinkOptions { PublicBaseUrl = "https://study.example.org" }), clock,
        NullLogger<Dispatcher>.Instance);

    /// <summary>Plans, sends every batch that is due now, and plans again, as the next minute's plan tick would (queuing the reminders of what went out).</summary>
    public async Task<int> TickAsync()
    {
        await Plan.RunAsync(CancellationToken.None);
        var sent = 0;
        var dispatcher = Dispatcher();
        while (true)
        {
            var result = await dispatcher.DispatchBatchAsync(CancellationToken.None);
            sent += result.Sent;
            if (result.Sent + result.Retried + result.Failed + result.Cancelled + result.Deferred == 0 || result.RelayUnreachable)
            {
                break;
            }
        }
        await Plan.RunAsync(CancellationToken.None);
        return sent;
    }
}
