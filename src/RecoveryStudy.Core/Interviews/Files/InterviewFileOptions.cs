using System.Globalization;

namespace RecoveryStudy.Interviews.Files;

/// <summary>
/// Interview file settings (section <c>Interviews</c>). <see cref="FileKeys"/> holds every master
/// key by id, 32 random bytes in base64; <see cref="FileKeyId"/> names the one new files are
/// wrapped with. Older keys stay listed until <c>interview-files rewrap</c> has moved every file off them.
/// </summary>
public sealed class InterviewFileOptions
{
    public const string Section = "Interviews";

    /// <summary>The largest file taken, in bytes (default 200 MB: about three hours of speech at 128 kbit/s).</summary>
    public long MaxFileBytes { get; set; } = 200L * 1024 * 1024;

    public Dictionary<string, string> FileKeys { get; set; } = [];

    public string? FileKeyId { get; set; }

    /// <summary>Why the settings cannot be used, naming the key; null when they can (or when no key is set at all: uploads are then refused).</summary>
    public string? Problem()
    {
        if (MaxFileBytes < 1)
        {
            return "Interviews:MaxFileBytes must be at least 1.";
        }
        foreach (var (id, value) in FileKeys)
        {
            if (id.Length is 0 or > 32)
            {
                return $"Interviews:FileKeys:{id} has an id longer than 32 characters.";
            }
            if (Decode(value) is null)
            {
                return $"Interviews:FileKeys:{id} must be 32 bytes in base64 (openssl rand -base64 32).";
            }
        }
        if (FileKeys.Count > 0 && (FileKeyId is null || !FileKeys.ContainsKey(FileKeyId)))
        {
            return $"Interviews:FileKeyId must name one of Interviews:FileKeys ({string.Join(", ", FileKeys.Keys)}).";
        }
        if (FileKeys.Count == 0 && !string.IsNullOrEmpty(FileKeyId))
        {
            return $"Interviews:FileKeyId names {FileKeyId}, but Interviews:FileKeys is empty.";
        }
        return null;
    }

    /// <summary>True when files can be stored: a current master key is configured.</summary>
    public bool CanStore => FileKeyId is not null && FileKeys.ContainsKey(FileKeyId) && Problem() is null;

    public byte[]? Key(string id) => FileKeys.TryGetValue(id, out var value) ? Decode(value) : null;

    public string MaxReadable => Readable(MaxFileBytes);

    /// <summary>A size as people read it: "812 bytes", "3.4 MB".</summary>
    public static string Readable(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB"),
    };

    private static byte[]? Decode(string value)
    {
        try
        {
            var key = Convert.FromBase64String(value);
            return key.Length == 32 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
