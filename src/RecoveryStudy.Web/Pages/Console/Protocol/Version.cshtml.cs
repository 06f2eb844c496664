using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Protocol;

/// <summary>One imported protocol document, as stored.</summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class VersionModel(StudyDbContext db) : PageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public StudyNav Nav { get; private set; } = null!;
    public int Version { get; private set; }
    public DateTime ImportedAt { get; private set; }
    public string Document { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int studyId, int version, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, "protocol", ct) is not { } nav)
        {
            return NotFound();
        }
        var row = await db.ProtocolVersions.AsNoTracking().SingleOrDefaultAsync(v => v.StudyId == studyId && v.Version == version, ct);
        if (row is null)
        {
            return NotFound();
        }
        Nav = nav;
        Version = row.Version;
        ImportedAt = row.ImportedAt;
        using var parsed = JsonDocument.Parse(row.Document);
        Document = JsonSerializer.Serialize(parsed.RootElement, Indented);
        return Page();
    }
}
