using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>
/// The rate limiter's answer: 429 with a calm page that says to wait a minute. Written directly
/// (the limiter answers before any page runs), in the request's language.
/// </summary>
internal static class TooManyRequestsPage
{
    public const int RetryAfterSeconds = 60;

    public static async ValueTask WriteAsync(HttpContext context, CancellationToken ct)
    {
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<ParticipantText>>();
        var encode = HtmlEncoder.Default;
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        var title = encode.Encode(text["TooManyTitle"]);
        var html = $"""
            <!DOCTYPE html>
            <html lang="{encode.Encode(language)}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title}</title><link rel="stylesheet" href="/css/participant.css"></head>
            <body><main id="main" class="wrap"><h1>{title}</h1><p>{encode.Encode(text["TooManyBody"])}</p></main></body>
            </html>
            """;
        await context.Response.WriteAsync(html, ct);
    }
}
