using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace RecoveryStudy.Web.Pages.Console.Uploads;

/// <summary>
/// A console upload larger than its form takes gets a 413 page that names the limit, before
/// anything reads the body (reading it would fail the anti-forgery check with an empty 400).
/// The request's own size comes from Content-Length, which browsers send with every form.
/// </summary>
internal sealed class UploadTooLargeFilter : IAuthorizationFilter, IOrderedFilter
{
    /// <summary>After the request size limit is set (900), before the anti-forgery check reads the form (1000).</summary>
    public int Order => 950;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<UploadLimitAttribute>() is not { } limit
            || http.Request.ContentLength is not { } length
            || length <= limit.FileBytes + UploadLimitAttribute.EnvelopeBytes)
        {
            return;
        }
        LetTheServerDrain(http, length);
        var services = http.RequestServices;
        context.Result = new ViewResult
        {
            ViewName = "/Pages/Console/Uploads/_UploadTooLarge.cshtml",
            StatusCode = StatusCodes.Status413PayloadTooLarge,
            ViewData = new ViewDataDictionary<UploadTooLarge>(services.GetRequiredService<IModelMetadataProvider>(), context.ModelState)
            {
                Model = new UploadTooLarge(limit.Readable, UploadLimitAttribute.Megabytes(length), http.Request.Path),
            },
        };
    }

    /// <summary>
    /// The server reads the unread body after the answer; allowed up to the server-wide limit, it
    /// does so and keeps the connection, so the browser shows the page instead of a reset upload.
    /// </summary>
    private static void LetTheServerDrain(HttpContext http, long length)
    {
        var serverLimit = http.RequestServices.GetService<IOptions<KestrelServerOptions>>()?.Value.Limits.MaxRequestBodySize;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature && length <= serverLimit)
        {
            feature.MaxRequestBodySize = length;
        }
    }
}

/// <summary>What the 413 page says: the form's limit, the size sent, where to go back to.</summary>
public sealed record UploadTooLarge(string Limit, string Sent, string BackTo);
