using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Account;

[AllowAnonymous]
[EnableRateLimiting(SignInThrottle.Policy)]
public sealed class SignInModel(StaffSignIn signIn, StaffSessions sessions, IOptions<StaffAuthOptions> options, IOptions<StaffOidcOptions> oidc) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public string? Error { get; private set; }

    /// <summary>"refused" (no linked account) or "failed" (cancelled or broken answer), after the provider.</summary>
    [BindProperty(SupportsGet = true)]
    public string? External { get; set; }

    public StaffOidcOptions Oidc => oidc.Value;

    public void OnGet()
    {
    }

    // The provider button's post is redirected to the provider, which the site-wide form-action 'self' would block.
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (Oidc.IsConfigured)
        {
            Response.Headers.ContentSecurityPolicy = Hosting.PagesHosting.ContentSecurityPolicyWithFormsTo(new Uri(Oidc.Authority));
        }
    }

    /// <summary>Sends the browser to the OpenID Connect provider (a form post, so it carries the anti-forgery token).</summary>
    public IActionResult OnPostExternal()
    {
        if (!Oidc.IsConfigured)
        {
            return NotFound();
        }
        var back = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
        return Challenge(new AuthenticationProperties { RedirectUri = back }, StaffOidc.Scheme);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (user, _) = await signIn.CheckAsync(Email, Password, ct);
        if (user is null)
        {
            // One message for every refusal (unknown address, wrong password, locked, disabled),
            // so the page does not reveal which addresses have accounts or their state.
            Error = $"The email or password is not correct, or the account is locked (for {options.Value.LockoutMinutes} minutes after too many failed attempts) or disabled. Ask an admin if this goes on.";
            Password = "";
            return Page();
        }
        if (user.TotpConfirmedAt is not null)
        {
            await HttpContext.SignInAsync(SecondFactor.Scheme, SecondFactor.Pending(user));
            return RedirectToPage("/Console/Account/SignInCode", new { ReturnUrl });
        }
        var mustEnrol = SecondFactor.MustEnrol(user, options.Value);
        var session = await sessions.StartAsync(user.Id, ct);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.Principal(user, session, mustEnrol));
        if (mustEnrol)
        {
            return Redirect(SecondFactor.EnrolPath);
        }
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Console/Index");
    }
}
