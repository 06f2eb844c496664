using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Pages.Console;

/// <summary>The study's sub-navigation: which study, its status, and which page is current.</summary>
public sealed record StudyNav(int StudyId, string StudyCode, string StudyStatus, string Current)
{
    public static async Task<StudyNav?> LoadAsync(StudyDbContext db, int studyId, string current, CancellationToken ct) =>
        await db.Studies.AsNoTracking().Where(s => s.Id == studyId)
            .Select(s => new StudyNav(s.Id, s.Code, s.Status, current))
            .SingleOrDefaultAsync(ct);
}
