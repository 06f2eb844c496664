using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Survey;

/// <summary>Looks a presented link token up by its hash; the token itself is never stored or logged.</summary>
public static class ParticipantLinks
{
    /// <summary>The invitation a live token of this purpose belongs to, or null for anything else.</summary>
    public static async Task<long?> ResolveAsync(StudyDbContext db, string? token, string purpose, CancellationToken ct)
    {
        var hash = LinkTokens.Hash(token);
        if (hash is null)
        {
            return null;
        }
        var found = await db.AccessTokens
            .Where(t => t.Hash == hash && t.Purpose == purpose && t.RevokedAt == null)
            .Select(t => (long?)t.InvitationId)
            .FirstOrDefaultAsync(ct);
        return found;
    }
}
