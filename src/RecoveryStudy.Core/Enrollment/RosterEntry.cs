namespace RecoveryStudy.Enrollment;

/// <summary>A checked roster row: normalized values, ready to compare with the stored participant.</summary>
internal sealed record RosterEntry(
    int Line,
    string Code,
    string Email,
    string? Name,
    FirstNameCell FirstName,
    string Language,
    string TimeZone,
    string Role,
    string? Cohort,
    Dictionary<string, DateOnly?> Anchors,
    Dictionary<string, bool> Flags);

/// <summary>
/// The optional first_name cell: a roster without the column leaves stored first names alone,
/// one with the column sets them (an empty cell clears one).
/// </summary>
internal readonly record struct FirstNameCell(bool Given, string? Value);
