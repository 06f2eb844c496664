using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Account;

/// <summary>
/// A staff member's own ways of signing in: the linked OpenID Connect identity (issuer, when
/// linked, last used), which they may remove after proving it is them (the current password, or a
/// fresh TOTP code when the second factor is on), unless it is their only way in; and new recovery
/// codes for a fresh TOTP code, the old ones void at once. Both are audited; a refusal changes nothing.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class SignInMethodsModel(StudyDbContext db, StaffSignIn signIn, StaffTotp totp, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    /// <summary>The current password, or a TOTP code: what proves it is the owner removing the identity.</summary>
    // Nullable: each form posts one of the two fields, and the other must not count as missing.
    [BindProperty]
    public string? Proof { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public StaffUser Account { get; private set; } = null!;
    public int RecoveryCodesLeft { get; private set; }
    public ZonedTime Time { get; private set; } = ZonedTime.Utc;

    /// <summary>Recovery codes just made, shown on this response only.</summary>
    public IReadOnlyList<string> IssuedCodes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : Forbid();

    public async Task<IActionResult> OnPostUnlinkAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return Forbid();
        }
        if (Account.OidcSubject is null)
        {
            return RedirectToPage();
        }
        if (!LinkedIdentity.CanRemove(Account))
        {
            ModelState.AddModelError(nameof(Proof), text["Signin_UnlinkLastMethod"]);
        }
        else if (!await ProvedAsync(ct))
        {
            AuditLog.Add(db, clock, User.Actor(), "staff.oidc_unlink_refused", targetType: "staff_user", targetId: Account.Id);
            await db.SaveChangesAsync(ct);
            ModelState.AddModelError(nameof(Proof), text["Signin_UnlinkProofWrong"]);
        }
        if (ModelState.ErrorCount > 0)
        {
            Proof = "";
            return Page();
        }
        var issuer = LinkedIdentity.Remove(Account, clock.GetUtcNow().UtcDateTime);
        AuditLog.Add(db, clock, User.Actor(), "staff.oidc_unlink", targetType: "staff_user", targetId: Account.Id, details: new { issuer, by = "self" });
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = text["Signin_Unlinked", issuer].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return Forbid();
        }
        if (Account.TotpConfirmedAt is null)
        {
            return RedirectToPage();
        }
        // A TOTP code only: a recovery code cannot vouch for making new ones.
        if (!StaffTotp.LooksLikeCode(Code))
        {
            ModelState.AddModelError(nameof(Code), text["TwoFactorCodeShape"]);
        }
        else if (await totp.CheckAsync(Account, Code!, ct) != SecondFactorUsed.Totp)
        {
            ModelState.AddModelError(nameof(Code), text["Signin_CodeWrong"]);
        }
        Code = "";
        if (ModelState.ErrorCount > 0)
        {
            return Page();
        }
        IssuedCodes = await totp.NewRecoveryCodesAsync(Account.Id, ct);
        AuditLog.Add(db, clock, User.Actor(), "staff.recovery_codes_regenerate", targetType: "staff_user", targetId: Account.Id,
            details: new { count = IssuedCodes.Count });
        await db.SaveChangesAsync(ct);
        RecoveryCodesLeft = IssuedCodes.Count;
        return Page();
    }

    // A TOTP code when the second factor is on and the text has a code's shape; the password otherwise.
    private async Task<bool> ProvedAsync(CancellationToken ct) =>
        Account.TotpConfirmedAt is not null && StaffTotp.LooksLikeCode(Proof)
            ? await totp.CheckAsync(Account, Proof!, ct) == SecondFactorUsed.Totp
            : await signIn.PasswordFitsAsync(Account, Proof ?? "", ct);

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await db.StaffUsers.FindAsync([User.StaffUserId()], ct) is not { } user)
        {
            return false;
        }
        Account = user;
        Time = await ZonedTime.ForConsoleAsync(db, null, ct);
        RecoveryCodesLeft = user.TotpConfirmedAt is null ? 0 : await totp.RecoveryCodesLeftAsync(user.Id, ct);
        return true;
    }
}
