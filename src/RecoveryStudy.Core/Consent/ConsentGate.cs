using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;

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

/// <summary>The need, with the consent text to ask and the protocol version it comes from.</summary>
public sealed record ConsentCheck(ConsentNeed Need, ConsentDefinition? Consent, int? ProtocolVersionId, int ParticipantId, int StudyId);

/// <summary>
/// Decides whether an invitation's link must show the consent page first (docs/protocol.md,
/// "Informed consent"). A decline stops everything; an agreement to the current version (or,
/// without re-consent, to any version of the same consent) lets the participant through; with
/// re-consent, an agreement to an older version is asked again before a wave is started, never
/// in the middle of one.
/// </summary>
public static class ConsentGate
{
    public static async Task<ConsentCheck?> CheckAsync(StudyDbContext db, long invitationId, CancellationToken ct)
    {
        var row = await db.Invitations.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.Id == invitationId)
            .Select(i => new
            {
                i.ParticipantId,
                i.StudyId,
                VersionId = db.Studies.Where(s => s.Id == i.StudyId).Select(s => s.CurrentProtocolVersionId).First(),
                Started = db.Responses.Any(r => r.InvitationId == i.Id),
                Records = db.ConsentRecords.Where(c => c.ParticipantId == i.ParticipantId)
                    .Select(c => new { c.ConsentCode, c.ConsentVersion, c.Decision }).ToList(),
            })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var consent = row.VersionId is int versionId ? await DefinitionAsync(db, versionId, ct) : null;
        var need = row.Records.Any(r => r.Decision == ConsentDecision.Declined) ? ConsentNeed.Declined
            : consent is null ? ConsentNeed.None
            : row.Records.Where(r => r.ConsentCode == consent.Code).Select(r => (int?)r.ConsentVersion).Max() is not int agreed ? ConsentNeed.Ask
            : agreed >= consent.Version || consent.Reconsent != true || row.Started ? ConsentNeed.None
            : ConsentNeed.Ask;
        return new ConsentCheck(need, consent, row.VersionId, row.ParticipantId, row.StudyId);
    }

    /// <summary>True when the invitation's instruments must not be shown or saved: consent is asked first, or was declined.</summary>
    public static async Task<bool> BlocksAsync(StudyDbContext db, long invitationId, CancellationToken ct) =>
        await CheckAsync(db, invitationId, ct) is { Need: not ConsentNeed.None };

    /// <summary>The consent block of a stored protocol version, or null; read alone, not the whole document.</summary>
    public static async Task<ConsentDefinition?> DefinitionAsync(StudyDbContext db, int protocolVersionId, CancellationToken ct)
    {
        var json = await db.Database
            .SqlQuery<string?>($"SELECT (document -> 'consent')::text AS \"Value\" FROM protocol_versions WHERE id = {protocolVersionId}")
            .FirstOrDefaultAsync(ct);
        return json is null ? null : JsonSerializer.Deserialize<ConsentDefinition>(json, ProtocolJson.Options);
    }
}
