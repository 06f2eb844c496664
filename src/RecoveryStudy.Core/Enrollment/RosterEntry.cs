namespace RecoveryStudy.Enrollment;

/// <summary>A checked roster row: normalized values, ready to compare with the stored participant.</summary>
internal sealed record RosterEntry(
    int Line,
    string Code,
    string Email,
    string? Name,
    string Language,
    string TimeZone,
    string Role,
    string? Cohort,
    Dictionary<string, DateOnly?> Anchors);
