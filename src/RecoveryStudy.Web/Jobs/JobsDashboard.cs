using Hangfire;
using Hangfire.Dashboard;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Jobs;

/// <summary>
/// Hangfire's dashboard at /hangfire for admins, under the staff sign-in. Hangfire's own
/// filters are emptied so that the admin policy alone decides (its default lets any local
/// request in). Its pages use inline scripts and styles, so only this path gets a CSP that
/// allows them.
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static void MapJobsDashboard(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            await next();
        }));
        app.MapHangfireDashboardWithAuthorizationPolicy(StaffPolicies.Admin, Path, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [],
            DashboardTitle = "RecoveryStudy jobs",
            AppPath = "/",
        });
    }
}
