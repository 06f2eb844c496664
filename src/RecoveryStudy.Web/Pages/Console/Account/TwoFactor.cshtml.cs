using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Account;

/// <summary>
/// Enrolment in the second factor: the key as text and as an otpauth:// address for the app, then
/// a code from the app to prove it has the key; only then is the factor active, and the recovery
/// codes are shown, once. Once active, only an admin's reset (on /admin/accounts) removes it.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class TwoFactorModel(StudyDbContext db, StaffTotp totp, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    [BindProperty]
    public string Code { get; set; } = "";

    public bool Active { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string? Secret { get; private set; }
    public string? OtpUri { get; private set; }

    /// <summary>Recovery codes just made, shown on this response only.</summary>
    public IReadOnlyList<string> IssuedCodes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await db.StaffUsers.FindAsync([User.StaffUserId()], ct) is not { } user)
        {
            return Forbid();
        }
        await LoadAsync(user, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await db.StaffUsers.FindAsync([User.StaffUserId()], ct) is not { } user)
        {
            return Forbid();
        }
        if (user.TotpConfirmedAt is not null)
        {
            return RedirectToPage();
        }
        if (!StaffTotp.LooksLikeCode(Code))
        {
            ModelState.AddModelError(nameof(Code), text["TwoFactorCodeShape"]);
        }
        else if (!await totp.ConfirmAsync(user, Code, ct))
        {
            ModelState.AddModelError(nameof(Code), text["TwoFactorCodeWrong"]);
        }
        if (ModelState.ErrorCount > 0)
        {
            Code = "";
            await LoadAsync(user, ct);
            return Page();
        }
        IssuedCodes = await totp.NewRecoveryCodesAsync(user.Id, ct);
        AuditLog.Add(db, clock, User.Actor(), "staff.second_factor_enrol", targetType: "staff_user", targetId: user.Id);
        await db.SaveChangesAsync(ct);
        // The same session goes on, without the mark that kept an admin on this page.
        if (User.HasClaim(SecondFactor.MustEnrolClaim, "1"))
        {
            var session = User.FindFirstValue(StaffSessions.Claim) ?? "";
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.Principal(user, session));
        }
        await LoadAsync(user, ct);
        return Page();
    }

    private async Task LoadAsync(StaffUser user, CancellationToken ct)
    {
        Active = user.TotpConfirmedAt is not null;
        if (Active)
        {
            RecoveryCodesLeft = await totp.RecoveryCodesLeftAsync(user.Id, ct);
            return;
        }
        Secret = await totp.PendingSecretAsync(user, ct);
        OtpUri = StaffTotp.Uri(Secret, user.Email);
    }
}
