using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Account;

[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class PasswordModel(StudyDbContext db, StaffSignIn signIn, StaffSessions sessions, IOptions<StaffAuthOptions> options, IStringLocalizer<ConsoleText> text) : PageModel
{
    [BindProperty]
    public string Current { get; set; } = "";

    [BindProperty]
    public string Replacement { get; set; } = "";

    [BindProperty]
    public string Confirmation { get; set; } = "";

    public int MinLength => options.Value.MinPasswordLength;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (StaffPasswordPolicy.Check(Replacement, MinLength) is { } problem)
        {
            ModelState.AddModelError(nameof(Replacement), text["PasswordProblem" + problem, MinLength, StaffPasswordPolicy.MinDistinctCharacters]);
        }
        if (Replacement != Confirmation)
        {
            ModelState.AddModelError(nameof(Confirmation), text["PasswordDiffer"]);
        }
        var user = await db.StaffUsers.FindAsync([User.StaffUserId()], ct);
        if (user is null)
        {
            return Forbid();
        }
        if (ModelState.ErrorCount == 0 && !await signIn.ChangePasswordAsync(user, Current, Replacement, ct))
        {
            ModelState.AddModelError(nameof(Current), text["PasswordWrong"]);
        }
        if (ModelState.ErrorCount > 0)
        {
            return Page();
        }
        // This session goes on under a cookie with the new stamp; every other one ends.
        var session = User.FindFirstValue(StaffSessions.Claim) ?? "";
        await sessions.EndAllAsync(user.Id, SessionEnd.PasswordChange, except: session, ct);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.Principal(user, session));
        TempData["Notice"] = text["PasswordChanged"].Value;
        return RedirectToPage("/Console/Index");
    }
}
