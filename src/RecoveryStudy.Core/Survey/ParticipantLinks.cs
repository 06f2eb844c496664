using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Survey;

/// <summary>A live link: the invitation it opens and the hash its token is stored under.</summary>
public sealed record LiveLink(long InvitationId, byte[] TokenHash);

/// <summary>Looks a presented link token up by its hash; the token itself is never stored or logged.</summary>
public static class ParticipantLinks
{
    /// <summary>The live token of this purpose, or null for anything else.</summary>
    public static async Task<LiveLink?> ResolveAsync(StudyDbContext db, string? token, string purpose, CancellationToken ct)
    {
        var hash = LinkTokens.Hash(token);
        if (hash is null)
        {
            return null;
        }
        var invitationId = await db.AccessTokens
            .Where(t => t.Hash == hash && t.Purpose == purpose && t.RevokedAt == null)
            .Select(t => (long?)t.InvitationId)
            .FirstOrDefaultAsync(ct);
        return invitationId is { } id ? new LiveLink(id, hash) : null;
    }

    /// <summary>
    /// Whether the token a session was opened with is still live (one primary-key look-up), so
    /// that revoking a link also ends every session already opened with it.
    /// </summary>
    public static Task<bool> IsLiveAsync(StudyDbContext db, LiveLink link, CancellationToken ct) =>
        db.AccessTokens.AnyAsync(t => t.Hash == link.TokenHash && t.InvitationId == link.InvitationId && t.RevokedAt == null, ct);

    /// <summary>
    /// Revokes every live token of an invitation (its survey and its unsubscribe link), which
    /// ends the sessions opened with them too; returns how many were revoked.
    /// </summary>
    public static Task<int> RevokeAsync(StudyDbContext db, long invitationId, DateTime now, CancellationToken ct) =>
        db.AccessTokens.Where(t => t.InvitationId == invitationId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
}
