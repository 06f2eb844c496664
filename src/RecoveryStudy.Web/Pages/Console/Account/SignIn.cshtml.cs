using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Account;

[AllowAnonymous]
public sealed class SignInModel(StaffSignIn signIn) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (user, refusal) = await signIn.CheckAsync(Email, Password, ct);
        if (user is null)
        {
            // One message for every refusal except a lock, so the page does not reveal which
            // addresses have accounts; a locked account is told to wait.
            Error = refusal == SignInRefusal.Locked
                ? "This account is locked after too many failed attempts. Try again later or ask an admin."
                : "The email or password is not correct, or the account is disabled.";
            Password = "";
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.Principal(user));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
