namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// HTTPS in front of the host (usually at the reverse proxy). Every cookie is marked Secure when
/// its request came over HTTPS; with Security:Hsts on (outside Development) browsers are told to
/// use HTTPS only (Strict-Transport-Security) and every cookie is Secure whatever the request.
/// </summary>
public static class TransportSecurityHosting
{
    public const string HstsKey = "Security:Hsts";
    public const string HstsMaxAgeDaysKey = "Security:HstsMaxAgeDays";

    public static IHostApplicationBuilder AddTransportSecurity(this IHostApplicationBuilder builder)
    {
        var httpsOnly = HttpsOnly(builder.Configuration, builder.Environment);
        var maxAgeDays = builder.Configuration.GetValue(HstsMaxAgeDaysKey, 365);
        if (maxAgeDays < 1)
        {
            throw new InvalidOperationException($"{HstsMaxAgeDaysKey}: {maxAgeDays} is not a number of days (1 or more).");
        }
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(maxAgeDays));
        // Applied to every cookie set through the response (staff, anti-forgery, participant sessions, language).
        builder.Services.Configure<CookiePolicyOptions>(options =>
            options.Secure = httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        return builder;
    }

    /// <summary>After the reverse proxy's scheme is known, before anything sets a cookie.</summary>
    public static void UseTransportSecurity(this WebApplication app)
    {
        if (HttpsOnly(app.Configuration, app.Environment))
        {
            app.UseHsts();
        }
        app.UseCookiePolicy();
    }

    private static bool HttpsOnly(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue(HstsKey, false) && !environment.IsDevelopment();
}
