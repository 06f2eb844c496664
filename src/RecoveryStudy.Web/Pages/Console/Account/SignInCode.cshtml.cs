using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Account;

/// <summary>
/// The code after the password, for an account with a second factor: a TOTP code from the app or
/// one of the recovery codes. Reached only with the pending cookie the password step set.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(SignInThrottle.Policy)]
public sealed class SignInCodeModel(SecondFactorSignIn check, StaffSessions sessions, IStringLocalizer<ConsoleText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Code { get; set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var pending = await HttpContext.AuthenticateAsync(SecondFactor.Scheme);
        return pending.Succeeded ? Page() : RedirectToPage("/Console/Account/SignIn", new { ReturnUrl });
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var pending = await HttpContext.AuthenticateAsync(SecondFactor.Scheme);
        if (!pending.Succeeded)
        {
            return RedirectToPage("/Console/Account/SignIn", new { ReturnUrl });
        }
        var (user, refusal) = await check.CheckAsync(pending.Principal, Code, ct);
        Code = "";
        if (user is null)
        {
            if (refusal != SignInRefusal.WrongCode)
            {
                // Locked, disabled or the password changed: back to the start, with the usual message there.
                await HttpContext.SignOutAsync(SecondFactor.Scheme);
            }
            ModelState.AddModelError(nameof(Code), text["CodeWrong"]);
            return Page();
        }
        await HttpContext.SignOutAsync(SecondFactor.Scheme);
        var session = await sessions.StartAsync(user.Id, ct);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.Principal(user, session));
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Console/Index");
    }
}
