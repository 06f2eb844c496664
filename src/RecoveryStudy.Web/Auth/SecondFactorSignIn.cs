using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// The second step of a sign-in: the code for the account the pending cookie names. Each attempt
/// takes a lock-out slot like a password attempt (the password's own slot is still taken), so
/// codes cannot be guessed faster than passwords; a password changed meanwhile, a lock or a
/// disabled account refuses the step. The caller opens the session and issues the cookie.
/// </summary>
public sealed class SecondFactorSignIn(StudyDbContext db, TimeProvider clock, IOptions<StaffAuthOptions> options, StaffTotp totp, StaffSignIn signIn)
{
    public async Task<(StaffUser? User, SignInRefusal Refusal)> CheckAsync(ClaimsPrincipal pending, string code, CancellationToken ct)
    {
        if (pending.StaffUserId() is not int userId || pending.FindFirstValue(ClaimTypes.Name) is not { } email)
        {
            return (null, SignInRefusal.UnknownAccount);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var slot = await SignInSlots.TakeAsync(db, email, options.Value.MaxFailedSignIns,
            TimeSpan.FromMinutes(options.Value.LockoutMinutes), now, ct);
        if (slot.UserId != userId || slot.PasswordHash is null
            || pending.FindFirstValue(StaffClaims.Stamp) != StaffClaims.StampOf(slot.PasswordHash))
        {
            return await signIn.RefuseAsync(slot.UserId == userId ? userId : null,
                slot.Disabled ? SignInRefusal.Disabled : SignInRefusal.Locked, ct);
        }
        var user = await db.StaffUsers.SingleAsync(u => u.Id == userId, ct);
        var used = await totp.CheckAsync(user, code, ct);
        if (used == SecondFactorUsed.None)
        {
            if (slot.Locking)
            {
                AuditLog.Add(db, clock, Actor.System, "staff.locked", targetType: "staff_user", targetId: userId,
                    details: new { minutes = options.Value.LockoutMinutes });
            }
            return await signIn.RefuseAsync(userId, SignInRefusal.WrongCode, ct);
        }
        await SignInSlots.ResetAsync(db, userId, now, ct);
        AuditLog.Add(db, clock, Actor.Staff(userId), "signin", targetType: "staff_user", targetId: userId,
            details: new { secondFactor = used == SecondFactorUsed.Totp ? "totp" : "recovery_code" });
        await db.SaveChangesAsync(ct);
        return (user, SignInRefusal.None);
    }
}
