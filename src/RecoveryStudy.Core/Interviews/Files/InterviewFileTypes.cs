namespace RecoveryStudy.Interviews.Files;

/// <summary>
/// Which files an interview takes: audio recordings, and transcripts as plain text, Word (.docx) or
/// PDF. The extension decides the content type (the browser's claim is ignored), and the first bytes
/// must look like that format, so a renamed program or archive is refused before anything is stored.
/// </summary>
public static class InterviewFileTypes
{
    private sealed record FileType(string Kind, string ContentType, Func<ReadOnlyMemory<byte>, bool> Looks);

    private static readonly Dictionary<string, FileType> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp3"] = new(InterviewFileKind.Audio, "audio/mpeg", b => Starts(b, "ID3"u8) || (b.Length > 1 && b.Span[0] == 0xFF && (b.Span[1] & 0xE0) == 0xE0)),
        [".m4a"] = new(InterviewFileKind.Audio, "audio/mp4", IsIsoMedia),
        [".mp4"] = new(InterviewFileKind.Audio, "audio/mp4", IsIsoMedia),
        [".aac"] = new(InterviewFileKind.Audio, "audio/aac", b => b.Length > 1 && b.Span[0] == 0xFF && (b.Span[1] & 0xF6) == 0xF0),
        [".wav"] = new(InterviewFileKind.Audio, "audio/wav", b => Starts(b, "RIFF"u8) && b.Length >= 12 && b.Span[8..12].SequenceEqual("WAVE"u8)),
        [".ogg"] = new(InterviewFileKind.Audio, "audio/ogg", b => Starts(b, "OggS"u8)),
        [".oga"] = new(InterviewFileKind.Audio, "audio/ogg", b => Starts(b, "OggS"u8)),
        [".opus"] = new(InterviewFileKind.Audio, "audio/ogg", b => Starts(b, "OggS"u8)),
        [".flac"] = new(InterviewFileKind.Audio, "audio/flac", b => Starts(b, "fLaC"u8)),
        [".webm"] = new(InterviewFileKind.Audio, "audio/webm", b => Starts(b, [0x1A, 0x45, 0xDF, 0xA3])),
        [".txt"] = new(InterviewFileKind.Transcript, "text/plain; charset=utf-8", b => !b.Span.Contains((byte)0)),
        [".docx"] = new(InterviewFileKind.Transcript, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b => Starts(b, "PK\u0003\u0004"u8)),
        [".pdf"] = new(InterviewFileKind.Transcript, "application/pdf", b => Starts(b, "%PDF-"u8)),
    };

    /// <summary>The extensions a kind takes, for the form's accept attribute and its messages.</summary>
    public static IEnumerable<string> Extensions(string kind) => ByExtension.Where(kv => kv.Value.Kind == kind).Select(kv => kv.Key);

    /// <summary>Checks name and first bytes against the kind: the content type to store, or why the file is refused.</summary>
    public static (string? ContentType, string? Problem) Check(string kind, string fileName, ReadOnlyMemory<byte> head)
    {
        var extension = Path.GetExtension(fileName);
        if (!ByExtension.TryGetValue(extension, out var type) || type.Kind != kind)
        {
            return (null, $"A file of kind {kind} must end in {string.Join(", ", Extensions(kind))}; \"{fileName}\" does not.");
        }
        if (!type.Looks(head))
        {
            return (null, $"\"{fileName}\" does not look like a {extension} file (its first bytes do not match).");
        }
        return (type.ContentType, null);
    }

    private static bool IsIsoMedia(ReadOnlyMemory<byte> b) => b.Length >= 8 && b.Span[4..8].SequenceEqual("ftyp"u8);

    private static bool Starts(ReadOnlyMemory<byte> b, ReadOnlySpan<byte> magic) => b.Span.StartsWith(magic);
}
