namespace RecoveryStudy.Protocol;

/// <summary>
/// The outcome of a protocol import: the problems that stopped it (nothing was written), or
/// the study, the protocol version now current, and what changed in words a researcher reads.
/// </summary>
public sealed record ProtocolImportResult(IReadOnlyList<ProtocolProblem> Problems, int StudyId, int Version, IReadOnlyList<string> Changes)
{
    public bool Succeeded => Problems.Count == 0;

    public static ProtocolImportResult Failed(IReadOnlyList<ProtocolProblem> problems) => new(problems, 0, 0, []);
}
