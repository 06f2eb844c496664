using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>Why a sign-in was refused; the page shows one message for all of them.</summary>
public enum SignInRefusal
{
    None,
    UnknownAccount,
    WrongPassword,
    Locked,
    Disabled,
}

/// <summary>
/// Checks a staff member's email and password, counts failures, locks the account after too
/// many, and audits every attempt. The caller issues the cookie on success.
/// </summary>
public sealed class StaffSignIn(StudyDbContext db, TimeProvider clock, IOptions<StaffAuthOptions> options)
{
    private static readonly PasswordHasher<StaffUser> Hasher = new();

    // Verifying against a fixed hash when the account does not exist keeps the answer time the
    // same, so response times do not reveal which addresses have accounts.
    private static readonly string DummyHash = Hasher.HashPassword(new StaffUser { Email = "", PasswordHash = "", Role = "" }, "not a password");

    public async Task<(StaffUser? User, SignInRefusal Refusal)> CheckAsync(string email, string password, CancellationToken ct)
    {
        var address = email.Trim().ToLowerInvariant();
        var now = clock.GetUtcNow().UtcDateTime;
        var user = await db.StaffUsers.SingleOrDefaultAsync(u => u.Email == address, ct);
        if (user is null)
        {
            Hasher.VerifyHashedPassword(new StaffUser { Email = "", PasswordHash = "", Role = "" }, DummyHash, password);
            return await RefuseAsync(null, SignInRefusal.UnknownAccount, ct);
        }
        if (user.Disabled)
        {
            return await RefuseAsync(user, SignInRefusal.Disabled, ct);
        }
        if (user.LockedUntil is DateTime until && until > now)
        {
            return await RefuseAsync(user, SignInRefusal.Locked, ct);
        }

        var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= options.Value.MaxFailedSignIns)
            {
                user.LockedUntil = now.AddMinutes(options.Value.LockoutMinutes);
                user.FailedSignIns = 0;
                AuditLog.Add(db, clock, Actor.System, "staff.locked", targetType: "staff_user", targetId: user.Id,
                    details: new { minutes = options.Value.LockoutMinutes });
            }
            return await RefuseAsync(user, SignInRefusal.WrongPassword, ct);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
        }
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        user.LastSignInAt = now;
        AuditLog.Add(db, clock, Actor.Staff(user.Id), "signin", targetType: "staff_user", targetId: user.Id);
        await db.SaveChangesAsync(ct);
        return (user, SignInRefusal.None);
    }

    private async Task<(StaffUser? User, SignInRefusal Refusal)> RefuseAsync(StaffUser? user, SignInRefusal refusal, CancellationToken ct)
    {
        // Failed attempts are recorded against the account they named; the typed address is
        // never stored, since it may be a mistyped personal address.
        AuditLog.Add(db, clock, Actor.System, "signin.failed", targetType: user is null ? null : "staff_user", targetId: user?.Id,
            details: new { reason = refusal.ToString() });
        await db.SaveChangesAsync(ct);
        return (null, refusal);
    }

    /// <summary>Sets a new password after checking the current one; false when it was wrong.</summary>
    public async Task<bool> ChangePasswordAsync(StaffUser user, string current, string replacement, CancellationToken ct)
    {
        if (Hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            return false;
        }
        user.PasswordHash = Hasher.HashPassword(user, replacement);
        AuditLog.Add(db, clock, Actor.Staff(user.Id), "staff.password_change", targetType: "staff_user", targetId: user.Id);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public static string Hash(StaffUser user, string password) => Hasher.HashPassword(user, password);
}
