using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Pages.Console;

/// <summary>The study's sub-navigation: which study, its status, which page is current, and the time zone its pages show times in.</summary>
public sealed record StudyNav(int StudyId, string StudyCode, string StudyStatus, string Current, string TimeZone)
{
    /// <summary>Every time on a study's pages is shown in the study's time zone, named.</summary>
    public ZonedTime Time { get; } = ZonedTime.In(TimeZone);

    public static async Task<StudyNav?> LoadAsync(StudyDbContext db, int studyId, string current, CancellationToken ct) =>
        await db.Studies.AsNoTracking().Where(s => s.Id == studyId)
            .Select(s => new StudyNav(s.Id, s.Code, s.Status, current, s.TimeZone))
            .SingleOrDefaultAsync(ct);
}
