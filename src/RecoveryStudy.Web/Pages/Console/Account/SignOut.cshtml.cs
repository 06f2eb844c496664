using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Account;

/// <summary>Signing out is a POST (with the anti-forgery token), so a link cannot sign anyone out.</summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class SignOutModel(StudyDbContext db, TimeProvider clock, StaffSessions sessions) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        AuditLog.Add(db, clock, User.Actor(), "signout", targetType: "staff_user", targetId: User.StaffUserId());
        await db.SaveChangesAsync(ct);
        // Ended on the server too, so a copy of the cookie is worth nothing from now on.
        await sessions.EndAsync(User, SessionEnd.SignOut, ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect(StaffAuth.SignInPath);
    }
}
