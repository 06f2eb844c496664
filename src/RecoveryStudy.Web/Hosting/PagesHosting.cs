using Microsoft.AspNetCore.Mvc.RazorPages;
using RecoveryStudy.Web.Pages.Console.Uploads;

namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// Server-rendered pages (Razor Pages, one folder per feature under Pages/), anti-forgery on
/// every form, and strict security headers: no inline script or style, no framing, no referrer
/// (so a link token never leaks to another site), and no caching of anything but the public
/// static files (pages, API answers and downloads carry personal or study data).
/// </summary>
public static class PagesHosting
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>
    /// The same policy with one more origin a form may lead to: a browser applies form-action to
    /// every redirect after a form post too, so the sign-in page's button that redirects to the
    /// OpenID Connect provider needs the provider's origin here.
    /// </summary>
    public static string ContentSecurityPolicyWithFormsTo(Uri target) =>
        ContentSecurityPolicy.Replace("form-action 'self'", $"form-action 'self' {target.GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal);

    public static IHostApplicationBuilder AddPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "rs_af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            // Secure over HTTPS (the reverse proxy's scheme once it is trusted); Always comes from the cookie policy with HSTS.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__rs_af";
        });
        builder.Services.Configure<RazorPagesOptions>(options =>
            options.Conventions.AddFolderApplicationModelConvention("/Console", model => model.Filters.Add(new UploadTooLargeFilter())));
        return builder;
    }

    /// <summary>The css files: cached, but checked with the server (ETag) before each use, so a new version shows at once.</summary>
    public static void UseStaticFilesRevalidated(this WebApplication app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                file.Context.Response.Headers.CacheControl = "no-cache";
                file.Context.Response.Headers.Remove("Pragma");
            },
        });

    public static void UseSecurityHeaders(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // Every dynamic answer: pages, API, downloads. The static files replace it (UseStaticFilesRevalidated).
            // The same value antiforgery sets on a page with a form, so it has nothing to override or warn about.
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
            await next();
        });
}
