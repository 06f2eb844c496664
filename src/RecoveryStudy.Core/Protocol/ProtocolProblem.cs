namespace RecoveryStudy.Protocol;

/// <summary>One thing wrong with a protocol file: where (a JSON path such as <c>$.waves[2].offset.months</c>) and why.</summary>
public sealed record ProtocolProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The outcome of validating a protocol: every problem found, and the parsed document when there are none.</summary>
public sealed record ProtocolValidation(IReadOnlyList<ProtocolProblem> Problems, ProtocolDocument? Protocol)
{
    public bool IsValid => Problems.Count == 0 && Protocol is not null;
}
