using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Enrollment;
using RecoveryStudy.Web.Auth;
using RecoveryStudy.Web.Pages.Console.Uploads;

namespace RecoveryStudy.Web.Pages.Console.Enrollment;

/// <summary>
/// Enrollment from a roster CSV with the same all-or-nothing checks as the CLI: any bad row
/// stops the import and every problem is listed by line and column.
/// </summary>
[Authorize(Policy = StaffPolicies.Research)]
[UploadLimit(MaxBytes)]
public sealed class UploadModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<string> Anchors { get; private set; } = [];
    public ParticipantImportResult? Result { get; private set; }
    public string? FileError { get; private set; }

    [BindProperty]
    public bool CreateCohorts { get; set; }

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct) =>
        await LoadAsync(studyId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int studyId, IFormFile? file, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, ct))
        {
            return NotFound();
        }
        if (file is null || file.Length == 0)
        {
            FileError = text["EnrollChooseFile"];
            return Page();
        }
        if (file.Length > MaxBytes)
        {
            FileError = text["EnrollTooLarge"];
            return Page();
        }
        await using var stream = file.OpenReadStream();
        Result = await new ParticipantImporter(db, clock).ImportAsync(Nav.StudyCode, stream, User.Actor(), ct, new ParticipantImportOptions(CreateCohorts));
        return Page();
    }

    private async Task<bool> LoadAsync(int studyId, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, "enroll", ct) is not { } nav)
        {
            return false;
        }
        Nav = nav;
        Anchors = await db.Waves.Where(w => w.StudyId == studyId).Select(w => w.Anchor).Distinct().OrderBy(a => a).ToListAsync(ct);
        return true;
    }
}
