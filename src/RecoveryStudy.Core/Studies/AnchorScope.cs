namespace RecoveryStudy.Studies;

/// <summary>
/// Who may give an anchor's date. <c>participant</c> (the default): the cohort's date, overridden by a
/// participant's own. <c>team</c>: the cohort's (team's) date only; a participant's own date is refused
/// on entry (roster, console) and ignored by the planner, so a team's members always follow the team.
/// </summary>
public static class AnchorScope
{
    public const string Participant = "participant";
    public const string Team = "team";
    public static readonly string[] All = [Participant, Team];

    /// <summary>The codes of the study's team-only anchors.</summary>
    public static IReadOnlySet<string> TeamOnly(Study study) =>
        study.Anchors.Where(a => a.Scope == Team).Select(a => a.Code).ToHashSet(StringComparer.Ordinal);

    public static string Refusal(string anchor) =>
        $"{anchor} is a team-only anchor: only the team's (cohort's) date counts, so a participant's own date is not accepted; set it on the cohort";
}
