using RecoveryStudy.Web.Health;
using RecoveryStudy.Web.Hosting;
using RecoveryStudy.Web.Jobs;

namespace RecoveryStudy.Web;

/// <summary>The web host: each concern added by one extension method, in the order it matters.</summary>
public static class AppHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json sits beside the binary; relative data paths (var/) stay relative to the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        builder.AddDatabase();   // configured PostgreSQL, or a private cluster under var/
        builder.AddJobs();       // Hangfire in its own schema of the same database
        builder.AddHealth();     // /health: database, migrations, job server
        builder.AddPages();      // Razor Pages per feature, anti-forgery on every form

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.MapGet("/", () => Results.Text("RecoveryStudy is running.")).AllowAnonymous();
        app.MapHealth();
        app.MapRazorPages();
        return app;
    }
}
