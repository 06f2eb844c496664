namespace RecoveryStudy.Enrollment;

/// <summary>One thing wrong with a roster file: the line (1 is the header), the column, and why.</summary>
public sealed record CsvProblem(int Line, string Field, string Message)
{
    public override string ToString() => $"line {Line}, {Field}: {Message}";
}

/// <summary>
/// The outcome of a roster import: every problem (then nothing was written), or how many
/// participants were created, updated and left unchanged, and what changed for the updated ones.
/// </summary>
public sealed record ParticipantImportResult(IReadOnlyList<CsvProblem> Errors, int Created, int Updated, int Unchanged, IReadOnlyList<string> Changes)
{
    public bool Succeeded => Errors.Count == 0;

    public static ParticipantImportResult Failed(IReadOnlyList<CsvProblem> errors) => new(errors, 0, 0, 0, []);
}

/// <summary>Choices of a roster import. <see cref="CreateCohorts"/>: a cohort the study does not know yet is created (without dates) instead of being an error.</summary>
public sealed record ParticipantImportOptions(bool CreateCohorts = false);
