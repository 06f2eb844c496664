using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// The OpenID Connect scheme, when StaffAuth:Oidc:Authority is set: the authorization code flow
/// with PKCE and the client secret; the provider's answer never signs anyone in by itself: it is
/// handed to <see cref="ExternalSignIn"/>, which finds the linked staff account (or refuses) and
/// opens a server-side session like a password sign-in does.
/// </summary>
public static class StaffOidc
{
    public const string Scheme = "oidc";
    public const string CallbackPath = "/signin-oidc";

    public static AuthenticationBuilder AddStaffOidc(this AuthenticationBuilder auth, IConfiguration configuration)
    {
        auth.Services.AddOptions<StaffOidcOptions>().BindConfiguration(StaffOidcOptions.Section);
        auth.Services.AddScoped<ExternalSignIn>();
        var settings = configuration.GetSection(StaffOidcOptions.Section).Get<StaffOidcOptions>() ?? new StaffOidcOptions();
        if (!settings.IsConfigured)
        {
            return auth;
        }
        var problems = settings.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
        return auth.AddOpenIdConnect(Scheme, options =>
        {
            options.Authority = settings.Authority;
            options.ClientId = settings.ClientId;
            options.ClientSecret = settings.ClientSecret;
            // Plain HTTP only for a provider on the node itself (a test provider); anything else is refused at start.
            options.RequireHttpsMetadata = new Uri(settings.Authority).Scheme == Uri.UriSchemeHttps;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.ResponseMode = OpenIdConnectResponseMode.Query;
            options.UsePkce = true;
            options.CallbackPath = CallbackPath;
            options.Scope.Clear();
            options.Scope.Add("openid");
            options.Scope.Add("email");
            options.Scope.Add("profile");
            // Claims keep the provider's names (sub, email, email_verified), read by ExternalSignIn.
            options.MapInboundClaims = false;
            options.GetClaimsFromUserInfoEndpoint = true;
            options.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
            options.SaveTokens = false;
            options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            // Over HTTPS these are Secure (the site's scheme); the code flow's own cookies live minutes.
            // Lax, not the default None: the answer comes back as a top-level GET (response mode query),
            // which carries Lax cookies, and a browser drops a SameSite=None cookie that is not Secure
            // (plain HTTP on loopback), which failed every browser sign-in there.
            options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.Events.OnTicketReceived = context =>
                context.HttpContext.RequestServices.GetRequiredService<ExternalSignIn>().CompleteAsync(context);
            options.Events.OnRemoteFailure = context =>
            {
                // Cancelled at the provider, an expired or replayed answer: back to the sign-in page with a message, never a 500.
                context.HttpContext.RequestServices.GetRequiredService<ILogger<ExternalSignIn>>()
                    .LogWarning("OpenID Connect sign-in failed: {Reason}", context.Failure?.GetType().Name);
                context.Response.Redirect(StaffAuth.SignInPath + "?external=failed");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }
}
