namespace RecoveryStudy.Participants;

/// <summary>
/// The site restriction of a study member, for hand-written SQL: the one predicate every shared
/// participant query (exports, comparisons, distributions, response figures) adds, bound to the
/// parameter <c>@Sites</c> (an int[] of cohort ids, or null for every participant). EF Core queries
/// get the same rule from the DbContext's participant filter (<c>StudyDbContext.LimitParticipants</c>).
/// </summary>
public static class SiteFilter
{
    /// <summary>The predicate on the participants table aliased <c>p</c>.</summary>
    public const string OnParticipants = "(@Sites::int[] IS NULL OR p.cohort_id = ANY(@Sites))";
}
