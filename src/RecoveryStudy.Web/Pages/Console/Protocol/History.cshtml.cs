using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Waves;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Protocol;

/// <summary>The study's protocol: the current version, its history, the waves and the instruments with a preview of each.</summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class HistoryModel(StudyDbContext db) : PageModel
{
    public sealed record VersionRow(int Version, DateTime ImportedAt, string? ImportedBy, string Sha256, bool Current);

    public sealed record InstrumentRow(string Code, int VersionId, int Version, string Title, int Items, bool Latest);

    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<VersionRow> Versions { get; private set; } = [];
    public IReadOnlyList<Wave> Waves { get; private set; } = [];
    public IReadOnlyList<InstrumentRow> Instruments { get; private set; } = [];
    public Dictionary<int, string> InstrumentCodes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().SingleOrDefaultAsync(s => s.Id == studyId, ct);
        if (study is null)
        {
            return NotFound();
        }
        Nav = new StudyNav(study.Id, study.Code, study.Status, "protocol", study.TimeZone);
        Versions = await db.ProtocolVersions.AsNoTracking().Where(v => v.StudyId == studyId).OrderByDescending(v => v.Version)
            .Select(v => new VersionRow(v.Version, v.ImportedAt,
                db.StaffUsers.Where(u => u.Id == v.ImportedByStaffUserId).Select(u => u.Email).FirstOrDefault(),
                v.Sha256, v.Id == study.CurrentProtocolVersionId))
            .ToListAsync(ct);
        Waves = await db.Waves.AsNoTracking().Include(w => w.Instruments).Where(w => w.StudyId == studyId)
            .OrderBy(w => w.Position).ThenBy(w => w.Code).ToListAsync(ct);
        var versions = await db.InstrumentVersions.AsNoTracking().Where(v => v.Instrument!.StudyId == studyId)
            .Select(v => new { v.Id, v.Version, Code = v.Instrument!.Code, v.InstrumentId, v.Title, Items = v.Items.Count })
            .ToListAsync(ct);
        InstrumentCodes = versions.GroupBy(v => v.InstrumentId).ToDictionary(g => g.Key, g => g.First().Code);
        Instruments = versions.GroupBy(v => v.Code).OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.OrderByDescending(v => v.Version).Select((v, n) => new InstrumentRow(v.Code, v.Id, v.Version, v.Title.For(ConsoleLanguage.Current), v.Items, n == 0)))
            .ToList();
        return Page();
    }

    public static string Offset(Wave w) => $"{w.Anchor} {(w.OffsetValue >= 0 ? "+" : "−")}{Math.Abs(w.OffsetValue)} {w.OffsetUnit}";
}
