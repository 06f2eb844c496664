using RecoveryStudy.Web.Api;
using RecoveryStudy.Web.Auth;
using RecoveryStudy.Web.Calendar;
using RecoveryStudy.Web.Downloads;
using RecoveryStudy.Web.Health;
using RecoveryStudy.Web.Hosting;
using RecoveryStudy.Web.Jobs;
using RecoveryStudy.Web.Metrics;
using RecoveryStudy.Web.Pages.Console;

namespace RecoveryStudy.Web;

/// <summary>The web host: each concern added by one extension method, in the order it matters.</summary>
public static class AppHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Named explicitly: under a test runner the entry assembly is not this one, and Razor Pages are found through it.
            ApplicationName = typeof(AppHost).Assembly.GetName().Name,
            // appsettings.json sits beside the binary; relative data paths (var/) stay relative to the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        builder.Services.AddSystemd(); // under systemd: Type=notify readiness and journal log levels; nothing elsewhere
        builder.AddLogFormat();  // Logging:Format: text, or one JSON object per line (after AddSystemd, whose journal format it overrides)

        builder.AddDatabase();   // configured PostgreSQL, or a private cluster under var/
        builder.RequireSafeProductionSettings(); // Production: https links, TLS mail, named hosts, encrypted key ring
        builder.AddJobs();       // Hangfire in its own schema of the same database
        builder.AddMail();       // planning and sending: transport, rate limit, the plan/dispatch/expire jobs
        builder.AddHealth();     // /health: database, migrations, job server
        builder.AddMetrics();    // /metrics for Prometheus: loopback, Metrics:ScrapeNetworks or admins
        builder.AddPages();      // Razor Pages per feature, anti-forgery on every form
        builder.AddInterviewFiles(); // encrypted interview recordings and transcripts: size limit, master keys
        builder.AddStaffAuth();  // staff cookie sign-in, role policies; anything without a rule is refused
        builder.AddApi();       // /api/: per-user API tokens (hashes only) for analysts' JSON/CSV
        builder.AddParticipantPages(); // participant links and pages: languages, session cookie, link throttle
        builder.AddReverseProxy(); // which proxies' X-Forwarded-For/-Proto are believed (none unless configured)
        builder.AddTransportSecurity(); // HSTS when Security:Hsts is on; Secure cookies over HTTPS

        var app = builder.Build();
        app.UseReverseProxy();   // the client's own address and scheme, before anything reads them
        app.UseTransportSecurity(); // HSTS, Secure cookies: needs the scheme, comes before any cookie
        app.UseSecurityHeaders(); // CSP and friends; no-store on everything but the static files
        app.UseStaticFilesRevalidated(); // public files (css) are served before authorization
        app.UseParticipantPages(); // participant language, then the throttle on link look-ups
        app.UseAuthentication();
        app.UseConsoleLanguage(); // console labels in the signed-in staff member's language
        app.UseSecondFactorEnrolment(); // an admin without a second factor reaches only its enrolment
        app.UseAuthorization();
        app.MapJobsDashboard();  // /hangfire, admins only
        app.MapHealth();
        app.MapMetrics();
        app.MapRazorPages();
        app.MapDataApi();
        app.MapCalendarFeed();
        app.MapInterviewFileDownload();
        return app;
    }
}
