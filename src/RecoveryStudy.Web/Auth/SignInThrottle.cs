using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// Sign-in posts per client address per minute (StaffAuth:SignInRequestsPerMinute); opening the
/// form is never limited. A throttle beside the per-account lock-out: it slows guessing across
/// many accounts from one address, and spares the server the hash work of a flood. Behind a
/// reverse proxy, ReverseProxy:KnownProxies must be set, or every client shares its address.
/// </summary>
public sealed class SignInThrottle(IOptions<StaffAuthOptions> options) : IRateLimiterPolicy<string>
{
    public const string Policy = "staff-signin";
    public const int RetryAfterSeconds = 60;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        HttpMethods.IsPost(httpContext.Request.Method)
            ? RateLimitPartition.GetFixedWindowLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Value.SignInRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter("form");

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = WriteAsync;

    private static async ValueTask WriteAsync(OnRejectedContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync(
            """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Too many sign-in attempts - RecoveryStudy</title>
            <link rel="stylesheet" href="/css/console.css"></head>
            <body><main id="main" class="narrow"><h1>Too many sign-in attempts</h1>
            <p>Too many sign-in attempts came from your network in the last minute. Wait a minute, then try again.</p>
            <p><a href="/signin">Back to sign-in</a></p></main></body></html>
            """, ct);
    }
}
