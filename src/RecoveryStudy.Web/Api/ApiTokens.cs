using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Api;

/// <summary>Listing and revoking API tokens, shared by the CLI and the console's token page.</summary>
public static class ApiTokens
{
    /// <summary>A token as listed: never its value (only its hash is stored), with its owner and dates.</summary>
    public sealed record Listed(int Id, int StaffUserId, string Email, string Name, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt)
    {
        public string State(DateTime now) => RevokedAt is not null ? "revoked" : ExpiresAt <= now ? "expired" : "active";
    }

    /// <summary>Every token, or those of one staff member, newest first.</summary>
    public static Task<List<Listed>> ListAsync(StudyDbContext db, int? staffUserId, CancellationToken ct) =>
        db.ApiTokens.AsNoTracking()
            .Where(t => staffUserId == null || t.StaffUserId == staffUserId)
            .OrderByDescending(t => t.Id)
            .Join(db.StaffUsers, t => t.StaffUserId, u => u.Id, (t, u) => new Listed(t.Id, t.StaffUserId, u.Email, t.Name, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(ct);

    public enum RevokeOutcome
    {
        Revoked,
        AlreadyRevoked,
        NotFound,
    }

    /// <summary>Revokes one token, audited; with <paramref name="ownerOnly"/> only a token of that staff member.</summary>
    public static async Task<RevokeOutcome> RevokeAsync(StudyDbContext db, TimeProvider clock, Actor actor, int tokenId, int? ownerOnly, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.ApiTokens.Where(t => t.Id == tokenId && (ownerOnly == null || t.StaffUserId == ownerOnly));
        if (await mine.Where(t => t.RevokedAt == null).ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, now), ct) == 0)
        {
            return await mine.AnyAsync(ct) ? RevokeOutcome.AlreadyRevoked : RevokeOutcome.NotFound;
        }
        AuditLog.Add(db, clock, actor, "apitoken.revoke", targetType: "api_token", targetId: tokenId);
        await db.SaveChangesAsync(ct);
        return RevokeOutcome.Revoked;
    }

    /// <summary>Revokes every live token of a staff member (password reset, account disabled); returns how many.</summary>
    public static Task<int> RevokeAllAsync(StudyDbContext db, DateTime now, int staffUserId, CancellationToken ct) =>
        db.ApiTokens.Where(t => t.StaffUserId == staffUserId && t.RevokedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, now), ct);
}
