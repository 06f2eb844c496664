using RecoveryStudy.Data;

namespace RecoveryStudy.Studies;

/// <summary>A participant role of a study (trainee, peer_worker, ...), with its title per language.</summary>
public sealed class StudyRole
{
    public string Code { get; set; } = "";
    public LocalizedText Title { get; set; } = new();
}

/// <summary>A named date that waves count from (course_start, employment_start, ...), with its label per language.</summary>
public sealed class StudyAnchor
{
    public string Code { get; set; } = "";
    public LocalizedText Label { get; set; } = new();

    /// <summary><see cref="AnchorScope.Team"/>: only the cohort's date counts (stored rows from before have none: participant).</summary>
    public string Scope { get; set; } = AnchorScope.Participant;
}
