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
/// The staff member's console language: stored on the account, and put in this session's cookie
/// at once (other sessions take it at their next sign-in). Audited.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class LanguageModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    [BindProperty]
    public string? Choice { get; set; }

    public string Current { get; private set; } = StaffUser.DefaultLanguage;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var user = await db.StaffUsers.FindAsync([User.StaffUserId()], ct);
        if (user is null)
        {
            return Forbid();
        }
        Current = user.Language;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await db.StaffUsers.FindAsync([User.StaffUserId()], ct);
        if (user is null)
        {
            return Forbid();
        }
        Current = user.Language;
        if (Choice is null || !StaffUser.Languages.Contains(Choice))
        {
            ModelState.AddModelError(nameof(Choice), text["LanguageUnknown"]);
            return Page();
        }
        if (Choice != user.Language)
        {
            AuditLog.Add(db, clock, User.Actor(), "staff.language", targetType: "staff_user", targetId: user.Id, details: new { before = user.Language, after = Choice });
            user.Language = Choice;
            await db.SaveChangesAsync(ct);
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                StaffClaims.Principal(user, User.FindFirstValue(StaffSessions.Claim) ?? ""));
        }
        // The notice is shown on the next page, in the language just chosen.
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(Choice);
        TempData["Notice"] = text["LanguageSaved"].Value;
        return RedirectToPage("/Console/Account/Language");
    }
}
