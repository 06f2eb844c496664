namespace RecoveryStudy.Reports;

/// <summary>
/// The texts of <see cref="ConsortFigure"/> as composite format strings, English by default; the
/// console passes its staff member's language. Downloads and the command line keep English.
/// </summary>
public sealed record ConsortLabels
{
    public static readonly ConsortLabels English = new();

    /// <summary>{0} study code.</summary>
    public string Title { get; init; } = "Participant flow: {0}";

    /// <summary>{0} study code.</summary>
    public string AriaLabel { get; init; } = "Participant flow of {0}";

    /// <summary>{0} also completed, {1} first-wave completers, {2} wave.</summary>
    public string Retained { get; init; } = "{0} of {1} first-wave completers also completed {2}";

    public string Wave { get; init; } = "Wave {0}";
    public string Eligible { get; init; } = "Eligible: {0}";

    /// <summary>{0} not invited or missed, {1} missed.</summary>
    public string NotInvited { get; init; } = "Not invited: {0} (missed window: {1})";

    public string Withdrawn { get; init; } = "Withdrawn: {0}";
    public string Invited { get; init; } = "Invited: {0}";

    /// <summary>{0} expired, {1} undeliverable.</summary>
    public string NotCompleted { get; init; } = "Not completed: expired {0}, undeliverable {1}";

    public string StillOpen { get; init; } = "still open {0}";

    /// <summary>{0} completed, {1} rate ("80.0%" or "n/a").</summary>
    public string Completed { get; init; } = "Completed: {0} ({1} of invited)";
}
