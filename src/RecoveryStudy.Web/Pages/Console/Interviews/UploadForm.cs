using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>
/// Reads a multipart upload form in order, without buffering: the anti-forgery field first (the form
/// puts it first, and browsers send fields in document order), then small text fields, then the file,
/// whose body is handed over as a stream. The anti-forgery token is checked as soon as it is read,
/// before any file byte is, through the header the anti-forgery service reads before the form.
/// </summary>
public sealed class UploadForm(HttpContext http)
{
    private const int MaxFieldChars = 1024;
    private readonly MultipartReader? reader = Boundary(http.Request.ContentType) is { } boundary ? new MultipartReader(boundary, http.Request.Body) : null;
    private bool tokenChecked;

    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>False when the request is not a multipart form.</summary>
    public bool IsMultipart => reader is not null;

    /// <summary>
    /// Reads fields up to the first file and returns the file's name and body; null when the form holds no file.
    /// Throws <see cref="AntiforgeryValidationException"/> when the token is missing, wrong, or comes after the file.
    /// </summary>
    public async Task<(string FileName, Stream Body)?> NextFileAsync(CancellationToken ct)
    {
        while (reader is not null && await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                await CheckTokenAsync();
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                return (fileName, section.Body);
            }
            using var text = new StreamReader(section.Body);
            var buffer = new char[MaxFieldChars];
            var read = await text.ReadBlockAsync(buffer, ct);
            Fields[name] = new string(buffer, 0, read);
            if (name == Options.FormFieldName)
            {
                await CheckTokenAsync();
            }
        }
        await CheckTokenAsync();
        return null;
    }

    private AntiforgeryOptions Options => http.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;

    private async Task CheckTokenAsync()
    {
        if (tokenChecked)
        {
            return;
        }
        var options = Options;
        // Without a token field, an empty header: the check fails rather than falling back to reading the form.
        http.Request.Headers[options.HeaderName!] = Fields.GetValueOrDefault(options.FormFieldName, "");
        if (string.IsNullOrEmpty(http.Request.Headers[options.HeaderName!]))
        {
            throw new AntiforgeryValidationException("The anti-forgery field must come before the file.");
        }
        await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        tokenChecked = true;
    }

    private static string? Boundary(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(media.Boundary).Value is { Length: > 0 and <= 200 } boundary ? boundary : null;
}
