namespace RecoveryStudy.Exports;

/// <summary>
/// Why a value is missing. Every export, codebook, R script, SPSS syntax and Stata do-file uses
/// these same negative codes, so that "never asked" is never confused with "asked and skipped".
/// Unit nonresponse (<see cref="NotInvited"/>, <see cref="Withdrawn"/>, <see cref="InstrumentNotAnswered"/>)
/// is told apart from item nonresponse (<see cref="NotAnswered"/>) and from items a condition hid
/// (<see cref="NotShown"/>).
/// </summary>
public static class MissingCode
{
    /// <summary>Item nonresponse: the participant answered the instrument (or started it) but left this item empty.</summary>
    public const int NotAnswered = -1;

    /// <summary>In an answered instrument, the item's show-if condition on an earlier answer was not met, so it was never shown.</summary>
    public const int NotShown = -2;

    /// <summary>Not invited to the wave: not in its roles, enrolled after the window closed, or not yet sent.</summary>
    public const int NotInvited = -3;

    /// <summary>The participant withdrew before answering.</summary>
    public const int Withdrawn = -4;

    /// <summary>A score whose instrument was answered, but with fewer items than the score's minimum.</summary>
    public const int TooFewItems = -5;

    /// <summary>The item is not part of the instrument version this participant answered.</summary>
    public const int NotInVersion = -6;

    /// <summary>Unit nonresponse: invited to the wave (or it was imported), but nothing of this instrument was answered.</summary>
    public const int InstrumentNotAnswered = -7;

    public static readonly IReadOnlyList<ValueLabel> Labels =
    [
        new(NotAnswered, "item not answered"),
        new(NotShown, "not shown by a condition"),
        new(NotInvited, "not invited"),
        new(Withdrawn, "withdrawn"),
        new(TooFewItems, "too few items answered for the score"),
        new(NotInVersion, "not in the instrument version answered"),
        new(InstrumentNotAnswered, "invited, instrument not answered"),
    ];

    /// <summary>Whether the code is unit nonresponse (nothing of the instrument for this participant) rather than a gap inside an answered instrument.</summary>
    public static bool IsUnit(int code) => code is NotInvited or Withdrawn or InstrumentNotAnswered;

    public static string Name(int code) => Labels.First(l => l.Code == code).Label;
}

/// <summary>A numeric code and its label, for value labels in codebooks.</summary>
public sealed record ValueLabel(int Code, string Label);
