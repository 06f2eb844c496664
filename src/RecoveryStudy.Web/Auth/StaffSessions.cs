using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// Console sessions kept on the server (table staff_sessions): the cookie names a session by a
/// random id, and a cookie whose session has ended (sign-out, password change or reset, account
/// disabled, idle too long) is refused, however long its own lifetime still runs.
/// </summary>
public sealed class StaffSessions(StudyDbContext db, TimeProvider clock, IOptions<StaffAuthOptions> options)
{
    /// <summary>The claim that carries the session id (the cookie is encrypted; the table holds its hash).</summary>
    public const string Claim = "rs_sid";

    // Last seen is written at most once a minute, so most requests only read.
    private static readonly TimeSpan SeenStep = TimeSpan.FromMinutes(1);

    // Rows of sessions that ended (or went idle) this long ago are deleted at the account's next
    // sign-in: they open nothing, and the audit log keeps every sign-in.
    public static readonly TimeSpan KeepEndedFor = TimeSpan.FromDays(30);

    /// <summary>Opens a session for a staff member who just signed in; returns the id for the cookie.</summary>
    public async Task<string> StartAsync(int staffUserId, CancellationToken ct)
    {
        var (token, hash) = LinkTokens.Create();
        var now = clock.GetUtcNow().UtcDateTime;
        var forgotten = now - KeepEndedFor;
        await db.StaffSessions.Where(s => s.StaffUserId == staffUserId && (s.EndedAt < forgotten || s.LastSeenAt < forgotten))
            .ExecuteDeleteAsync(ct);
        db.StaffSessions.Add(new ConsoleSession { StaffUserId = staffUserId, Hash = hash, CreatedAt = now, LastSeenAt = now });
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>
    /// True when the principal's session is open, its account enabled, with the role and password
    /// the cookie was issued for: one indexed query on every request.
    /// </summary>
    public async Task<bool> IsOpenAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.StaffUserId();
        if (userId is null || LinkTokens.Hash(principal.FindFirstValue(Claim)) is not { } hash)
        {
            return false;
        }
        var found = await db.StaffSessions.AsNoTracking()
            .Where(s => s.Hash == hash && s.EndedAt == null && s.StaffUserId == userId)
            .Join(db.StaffUsers, s => s.StaffUserId, u => u.Id, (s, u) => new { s.Id, s.LastSeenAt, u.Disabled, u.Role, u.PasswordHash, u.TotpConfirmedAt })
            .SingleOrDefaultAsync(ct);
        if (found is null || found.Disabled || found.Role != principal.StaffRole()
            || principal.FindFirstValue(StaffClaims.Stamp) != StaffClaims.StampOf(found.PasswordHash)
            || (MustEnrol(found.Role, found.TotpConfirmedAt) && !principal.HasClaim(SecondFactor.MustEnrolClaim, "1")
                && principal.FindFirst(StaffClaims.External) is null))
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (found.LastSeenAt <= now.AddMinutes(-options.Value.SessionMinutes))
        {
            await EndWhereAsync(db.StaffSessions.Where(s => s.Id == found.Id), SessionEnd.Expired, ct);
            return false;
        }
        if (found.LastSeenAt <= now - SeenStep)
        {
            await db.StaffSessions.Where(s => s.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct);
        }
        return true;
    }

    // An admin session opened before a second factor was required, or without enrolling, is not
    // kept: signing in again leads to the enrolment page.
    private bool MustEnrol(string role, DateTime? totpConfirmedAt) =>
        options.Value.RequireAdminSecondFactor && role == StaffRole.Admin && totpConfirmedAt is null;

    /// <summary>Ends the principal's own session (sign-out).</summary>
    public Task EndAsync(ClaimsPrincipal principal, string reason, CancellationToken ct) =>
        LinkTokens.Hash(principal.FindFirstValue(Claim)) is { } hash
            ? EndWhereAsync(db.StaffSessions.Where(s => s.Hash == hash), reason, ct)
            : Task.FromResult(0);

    /// <summary>Ends every open session of an account, except the one with this id (the caller's own) when given.</summary>
    public Task<int> EndAllAsync(int staffUserId, string reason, string? except, CancellationToken ct)
    {
        var sessions = db.StaffSessions.Where(s => s.StaffUserId == staffUserId);
        if (LinkTokens.Hash(except) is { } kept)
        {
            sessions = sessions.Where(s => s.Hash != kept);
        }
        return EndWhereAsync(sessions, reason, ct);
    }

    private Task<int> EndWhereAsync(IQueryable<ConsoleSession> sessions, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return sessions.Where(s => s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), ct);
    }
}
