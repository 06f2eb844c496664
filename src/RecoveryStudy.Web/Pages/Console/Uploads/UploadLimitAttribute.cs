using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace RecoveryStudy.Web.Pages.Console.Uploads;

/// <summary>
/// The largest file a console upload form takes. The request may be a little larger (the form's
/// other fields and the multipart envelope); a larger one is answered by <see cref="UploadTooLargeFilter"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class UploadLimitAttribute(long fileBytes) : RequestSizeLimitAttribute(fileBytes + EnvelopeBytes)
{
    public const long EnvelopeBytes = 64 * 1024;

    public long FileBytes { get; } = fileBytes;

    /// <summary>The limit as people read it: "2 MB".</summary>
    public string Readable => Megabytes(FileBytes);

    public static string Megabytes(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB");
}
