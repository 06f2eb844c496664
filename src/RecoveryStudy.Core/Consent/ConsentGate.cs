using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Consent;

/// <summary>What stands between a participant's link and the instruments.</summary>
public enum ConsentNeed
{
    /// <summary>The protocol asks no consent, or the participant's agreement covers this invitation.</summary>
    None,

    /// <summary>The consent page comes first.</summary>
    Ask,

    /// <summary>The participant declined: no instrument, and they are not asked again.</summary>
    Declined,
}

/// <summary>One consent answer as the gate needs it: no clause answers, no time.</summary>
public sealed record ConsentMark(string ConsentCode, int ConsentVersion, string Decision);

/// <summary>The need, with the consent text to ask and the protocol version it comes from.</summary>
public sealed record ConsentCheck(ConsentNeed Need, ConsentDefinition? Consent, int? ProtocolVersionId, int ParticipantId, int StudyId);

/// <summary>
/// Decides whether an invitation's link must show the consent page first (docs/protocol.md,
/// "Informed consent"). A decline stops everything; an agreement to the current version (or,
/// without re-consent, to any version of the same consent) lets the participant through; with
/// re-consent, an agreement to an older version is asked again before a wave is started, never
/// in the middle of one. The survey pages decide from the state they already read (its consent
/// marks come in the same query), so the gate adds no round trip once a version's block is cached.
/// </summary>
public static class ConsentGate
{
    private const int CacheLimit = 1000;

    // Stored protocol versions never change, so their consent block is read once per database and version.
    private static readonly BoundedCache<(string Database, int Id), ConsentDefinition?> Definitions = new(CacheLimit);

    public static async Task<ConsentCheck> CheckAsync(StudyDbContext db, SurveyState state, CancellationToken ct)
    {
        var versionId = state.Study.CurrentProtocolVersionId;
        var consent = versionId is int id ? await DefinitionAsync(db, id, ct) : null;
        return new ConsentCheck(Decide(state.Consents, consent, state.Responses.Count > 0), consent, versionId,
            state.Invitation.ParticipantId, state.Invitation.StudyId);
    }

    /// <summary>True when the invitation's instruments must not be shown or saved: consent is asked first, or was declined.</summary>
    public static async Task<bool> BlocksAsync(StudyDbContext db, SurveyState state, CancellationToken ct) =>
        (await CheckAsync(db, state, ct)).Need != ConsentNeed.None;

    /// <summary>The same decision read afresh, inside the transaction that records an answer.</summary>
    public static async Task<ConsentCheck?> CheckAsync(StudyDbContext db, long invitationId, CancellationToken ct)
    {
        var row = await db.Invitations.AsNoTracking()
            .Where(i => i.Id == invitationId)
            .Select(i => new
            {
                i.ParticipantId,
                i.StudyId,
                VersionId = db.Studies.Where(s => s.Id == i.StudyId).Select(s => s.CurrentProtocolVersionId).First(),
                Started = db.Responses.Any(r => r.InvitationId == i.Id),
                Records = db.ConsentRecords.Where(c => c.ParticipantId == i.ParticipantId)
                    .Select(c => new ConsentMark(c.ConsentCode, c.ConsentVersion, c.Decision)).ToList(),
            })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var consent = row.VersionId is int versionId ? await DefinitionAsync(db, versionId, ct) : null;
        return new ConsentCheck(Decide(row.Records, consent, row.Started), consent, row.VersionId, row.ParticipantId, row.StudyId);
    }

    public static ConsentNeed Decide(IReadOnlyList<ConsentMark> records, ConsentDefinition? consent, bool started) =>
        records.Any(r => r.Decision == ConsentDecision.Declined) ? ConsentNeed.Declined
        : consent is null ? ConsentNeed.None
        : records.Where(r => r.ConsentCode == consent.Code).Select(r => (int?)r.ConsentVersion).Max() is not int agreed ? ConsentNeed.Ask
        : agreed >= consent.Version || consent.Reconsent != true || started ? ConsentNeed.None
        : ConsentNeed.Ask;

    /// <summary>The consent block of a stored protocol version, or null; read alone, not the whole document.</summary>
    public static async Task<ConsentDefinition?> DefinitionAsync(StudyDbContext db, int protocolVersionId, CancellationToken ct)
    {
        var key = (CachedPerDatabase.Key(db), protocolVersionId);
        if (Definitions.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var json = await db.Database
            .SqlQuery<string?>($"SELECT (document -> 'consent')::text AS \"Value\" FROM protocol_versions WHERE id = {protocolVersionId}")
            .FirstOrDefaultAsync(ct);
        var consent = json is null ? null : JsonSerializer.Deserialize<ConsentDefinition>(json, ProtocolJson.Options);
        Definitions.Set(key, consent);
        return consent;
    }
}
