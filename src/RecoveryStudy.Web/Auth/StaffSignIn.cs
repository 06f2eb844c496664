using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>Why a sign-in was refused (audited); the page shows one message for all of them.</summary>
public enum SignInRefusal
{
    None,
    UnknownAccount,
    WrongPassword,
    Locked,
    Disabled,
    WrongCode,
}

/// <summary>
/// Checks a staff member's email and password: counts the attempt against the account before
/// the password is checked (<see cref="SignInSlots"/>), so the lock-out holds under parallel
/// attempts, and audits every attempt. The caller opens the session and issues the cookie.
/// </summary>
public sealed class StaffSignIn(StudyDbContext db, TimeProvider clock, IOptions<StaffAuthOptions> options, IPasswordHasher<StaffUser> hasher)
{
    private static readonly StaffUser Nobody = new() { Email = "", PasswordHash = "", Role = "" };

    // Checked when there is no password to check (unknown, locked or disabled account), so every
    // attempt costs one hash verification and answer times do not tell these apart.
    private static readonly string StandInHash = new PasswordHasher<StaffUser>().HashPassword(Nobody, "not a password");

    // A hash check is deliberately slow CPU work on a pool thread; a burst of parallel sign-ins
    // would otherwise take every pool thread and starve the rest of the host (database I/O
    // included). Checks beyond one per core wait their turn without holding a thread.
    private static readonly SemaphoreSlim HashChecks = new(Environment.ProcessorCount);

    public async Task<(StaffUser? User, SignInRefusal Refusal)> CheckAsync(string email, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var slot = await SignInSlots.TakeAsync(db, Address(email), options.Value.MaxFailedSignIns,
            TimeSpan.FromMinutes(options.Value.LockoutMinutes), now, ct);
        var verdict = await VerifyAsync(Nobody, slot.PasswordHash ?? StandInHash, password, ct);
        if (slot.UserId is not int userId)
        {
            return await RefuseAsync(null, SignInRefusal.UnknownAccount, ct);
        }
        if (slot.PasswordHash is null)
        {
            return await RefuseAsync(userId, slot.Disabled ? SignInRefusal.Disabled : SignInRefusal.Locked, ct);
        }
        if (verdict == PasswordVerificationResult.Failed)
        {
            if (slot.Locking)
            {
                AuditLog.Add(db, clock, Actor.System, "staff.locked", targetType: "staff_user", targetId: userId,
                    details: new { minutes = options.Value.LockoutMinutes });
            }
            return await RefuseAsync(userId, SignInRefusal.WrongPassword, ct);
        }

        var user = await db.StaffUsers.SingleAsync(u => u.Id == userId, ct);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }
        if (user.TotpConfirmedAt is null)
        {
            await SignInSlots.ResetAsync(db, userId, now, ct);
            AuditLog.Add(db, clock, Actor.Staff(user.Id), "signin", targetType: "staff_user", targetId: user.Id);
        }
        else
        {
            // The slot stays taken until the second factor passes too, so that the right password
            // does not start a new count of code guesses (SecondFactorSignIn resets it).
            AuditLog.Add(db, clock, Actor.Staff(user.Id), "signin.password", targetType: "staff_user", targetId: user.Id);
        }
        await db.SaveChangesAsync(ct);
        return (user, SignInRefusal.None);
    }

    internal async Task<(StaffUser? User, SignInRefusal Refusal)> RefuseAsync(int? userId, SignInRefusal refusal, CancellationToken ct)
    {
        // Failed attempts are recorded against the account they named; the typed address is
        // never stored, since it may be a mistyped personal address.
        AuditLog.Add(db, clock, Actor.System, "signin.failed", targetType: userId is null ? null : "staff_user", targetId: userId,
            details: new { reason = refusal.ToString() });
        await db.SaveChangesAsync(ct);
        Metrics.StaffSignInMetrics.Failed(refusal);
        return (null, refusal);
    }

    /// <summary>True when the account has a password and this is it (a step-up check on a signed-in account).</summary>
    public async Task<bool> PasswordFitsAsync(StaffUser user, string password, CancellationToken ct) =>
        user.HasPassword && !string.IsNullOrEmpty(password)
        && await VerifyAsync(user, user.PasswordHash, password, ct) != PasswordVerificationResult.Failed;

    /// <summary>Sets a new password after checking the current one; false when it was wrong.</summary>
    public async Task<bool> ChangePasswordAsync(StaffUser user, string current, string replacement, CancellationToken ct)
    {
        if (await VerifyAsync(user, user.PasswordHash, current, ct) == PasswordVerificationResult.Failed)
        {
            return false;
        }
        user.PasswordHash = hasher.HashPassword(user, replacement);
        AuditLog.Add(db, clock, Actor.Staff(user.Id), "staff.password_change", targetType: "staff_user", targetId: user.Id);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task<PasswordVerificationResult> VerifyAsync(StaffUser user, string hash, string password, CancellationToken ct)
    {
        await HashChecks.WaitAsync(ct);
        try
        {
            return hasher.VerifyHashedPassword(user, hash, password);
        }
        finally
        {
            HashChecks.Release();
        }
    }

    public static string Address(string email) => email.Trim().ToLowerInvariant();

    public static string Hash(StaffUser user, string password) => new PasswordHasher<StaffUser>().HashPassword(user, password);
}
