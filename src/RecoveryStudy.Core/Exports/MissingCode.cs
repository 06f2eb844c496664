namespace RecoveryStudy.Exports;

/// <summary>
/// Why a value is missing. Every export, codebook, R script and SPSS syntax uses these same
/// negative codes, so that "never asked" is never confused with "asked and skipped".
/// </summary>
public static class MissingCode
{
    /// <summary>Invited (the email went out or answers were imported) but the item was left empty.</summary>
    public const int NotAnswered = -1;

    /// <summary>The item's show-if condition on an earlier answer was not met, so it was never shown.</summary>
    public const int NotShown = -2;

    /// <summary>Not invited to the wave: not in its roles, enrolled after the window closed, or not yet sent.</summary>
    public const int NotInvited = -3;

    /// <summary>The participant withdrew before answering.</summary>
    public const int Withdrawn = -4;

    /// <summary>A score whose instrument was answered, but with fewer items than the score's minimum.</summary>
    public const int TooFewItems = -5;

    /// <summary>The item is not part of the instrument version this participant answered.</summary>
    public const int NotInVersion = -6;

    public static readonly IReadOnlyList<ValueLabel> Labels =
    [
        new(NotAnswered, "not answered"),
        new(NotShown, "not shown by a condition"),
        new(NotInvited, "not invited"),
        new(Withdrawn, "withdrawn"),
        new(TooFewItems, "too few items answered for the score"),
        new(NotInVersion, "not in the instrument version answered"),
    ];

    public static string Name(int code) => Labels.First(l => l.Code == code).Label;
}

/// <summary>A numeric code and its label, for value labels in codebooks.</summary>
public sealed record ValueLabel(int Code, string Label);
