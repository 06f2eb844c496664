using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.DataRights;

/// <summary>
/// Everything the platform holds about one participant, as they have a right to receive it (GDPR
/// art. 15 and 20): roster fields and contact details, their state (withdrawal, opt-out), every
/// wave with its answers by instrument version, and every email with its step and time. The console
/// download and the copy a participant asks for by email both come from here.
/// </summary>
public sealed record ParticipantDataCopy(
    string Study, DateTime MadeAt, CopyRoster Roster, CopyState State, IReadOnlyList<CopyWave> Waves, IReadOnlyList<CopyEmail> Emails,
    IReadOnlyList<CopyConsent> Consents)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Null when no participant has this id.</summary>
    public static async Task<ParticipantDataCopy?> LoadAsync(StudyDbContext db, int participantId, DateTime now, CancellationToken ct)
    {
        var p = await db.Participants.AsNoTracking().Include(x => x.Contact).Include(x => x.Cohort).Include(x => x.Anchors)
            .SingleOrDefaultAsync(x => x.Id == participantId, ct);
        if (p is null)
        {
            return null;
        }
        var study = await db.Studies.AsNoTracking().Where(s => s.Id == p.StudyId).Select(s => s.Code).SingleAsync(ct);
        var roster = new CopyRoster(p.Code, p.Cohort?.Code, p.Role, p.Language, p.TimeZone, p.EnrolledOn,
            p.Contact?.Email, p.Contact?.Name, p.Contact?.FirstName,
            p.Anchors.OrderBy(a => a.Name, StringComparer.Ordinal).ToDictionary(a => a.Name, a => a.Date));
        var state = new CopyState(p.Status, p.WithdrawnAt, p.WithdrawalReason, p.OptedOutAt, p.UndeliverableAt);

        var invitations = await db.Invitations.AsNoTracking().Include(i => i.Wave).Where(i => i.ParticipantId == participantId)
            .OrderBy(i => i.Wave!.Position).ThenBy(i => i.Id).ToListAsync(ct);
        var invitationIds = invitations.Select(i => i.Id).ToList();
        var responses = await db.Responses.AsNoTracking().Include(r => r.Answers)
            .Include(r => r.InstrumentVersion!).ThenInclude(v => v.Instrument)
            .Include(r => r.InstrumentVersion!).ThenInclude(v => v.Items).ThenInclude(i => i.Options)
            .AsSplitQuery()
            .Where(r => invitationIds.Contains(r.InvitationId)).OrderBy(r => r.Id).ToListAsync(ct);
        var waves = invitations.Select(i => new CopyWave(
            i.Wave!.Code, i.Status, i.DueDate, i.SentAt, i.CompletedAt,
            [.. responses.Where(r => r.InvitationId == i.Id).Select(r => ToResponse(r, p.Language))])).ToList();

        var emails = await db.Messages.AsNoTracking().Where(m => invitationIds.Contains(m.InvitationId))
            .OrderBy(m => m.SentAt ?? m.DueAt).ThenBy(m => m.Id)
            .Select(m => new { m.InvitationId, m.Kind, m.Step, m.Status, m.DueAt, m.SentAt }).ToListAsync(ct);
        var waveOf = invitations.ToDictionary(i => i.Id, i => i.Wave!.Code);
        var consents = await db.Set<Consent.ConsentRecord>().AsNoTracking().Where(c => c.ParticipantId == participantId)
            .OrderBy(c => c.GivenAt).ThenBy(c => c.Id).ToListAsync(ct);
        return new ParticipantDataCopy(study, now, roster, state, waves,
            [.. emails.Select(m => new CopyEmail(waveOf[m.InvitationId], m.Kind, m.Step, m.Status, m.DueAt, m.SentAt))],
            [.. consents.Select(c => new CopyConsent(c.ConsentCode, c.ConsentVersion, c.Decision, c.Language, c.GivenAt,
                c.ClauseAnswers.OrderBy(a => a.Key, StringComparer.Ordinal).ToDictionary(a => a.Key, a => a.Value)))]);
    }

    private static CopyResponse ToResponse(Survey.Response r, string language)
    {
        var version = r.InstrumentVersion!;
        var items = version.Items.ToDictionary(i => i.Id);
        var answers = r.Answers.Where(a => items.ContainsKey(a.ItemId)).OrderBy(a => items[a.ItemId].Position)
            .Select(a =>
            {
                var item = items[a.ItemId];
                return new CopyAnswer(item.Code, item.Label.For(language), Value(a, item, language));
            });
        return new CopyResponse(version.Instrument!.Code, version.Version, version.Title.For(language), r.Status, r.StartedAt, r.CompletedAt, [.. answers]);
    }

    /// <summary>The answer as the participant saw it: option labels for codes, the number, the date, or the text.</summary>
    private static string? Value(Survey.Answer a, Instruments.Item item, string language)
    {
        if (a.TextValue is not null)
        {
            return a.TextValue;
        }
        if (a.DateValue is { } date)
        {
            return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        if (a.Codes is { } codes)
        {
            return string.Join("; ", codes.Select(c => OptionLabel(item, c, language)));
        }
        if (a.NumericValue is { } number)
        {
            var code = decimal.ToInt32(decimal.Truncate(number));
            return item.Options.Count > 0 && code == number ? OptionLabel(item, code, language) : number.ToString(CultureInfo.InvariantCulture);
        }
        return null;
    }

    private static string OptionLabel(Instruments.Item item, int code, string language) =>
        item.Options.FirstOrDefault(o => o.Code == code) is { } option
            ? string.Create(CultureInfo.InvariantCulture, $"{code} ({option.Label.For(language)})")
            : code.ToString(CultureInfo.InvariantCulture);
}

public sealed record CopyRoster(
    string Code, string? Cohort, string Role, string Language, string TimeZone, DateOnly EnrolledOn,
    string? Email, string? Name, string? FirstName, IReadOnlyDictionary<string, DateOnly> OwnAnchorDates);

public sealed record CopyState(string Status, DateTime? WithdrawnAt, string? WithdrawalReason, DateTime? OptedOutOfEmailAt, DateTime? AddressUndeliverableSince);

public sealed record CopyWave(string Wave, string Status, DateOnly DueDate, DateTime? InvitedAt, DateTime? CompletedAt, IReadOnlyList<CopyResponse> Responses);

public sealed record CopyResponse(string Instrument, int InstrumentVersion, string Title, string Status, DateTime StartedAt, DateTime? CompletedAt, IReadOnlyList<CopyAnswer> Answers);

public sealed record CopyAnswer(string Item, string Question, string? Answer);

/// <summary>One answer to a consent text: the version, agreed or declined, each clause ticked or not, when and in which language.</summary>
public sealed record CopyConsent(string Consent, int Version, string Decision, string Language, DateTime GivenAt, IReadOnlyDictionary<string, bool> Clauses);

public sealed record CopyEmail(string Wave, string Kind, int Step, string Status, DateTime DueAt, DateTime? SentAt);
