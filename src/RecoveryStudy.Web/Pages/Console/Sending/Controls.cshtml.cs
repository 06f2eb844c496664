using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;
using RecoveryStudy.Waves;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Sending;

/// <summary>
/// Pause and resume sending for the whole study or one wave, through <see cref="Pausing"/> as the
/// CLI does. The dispatcher claims no message of a paused study or wave; on resume, what fell due
/// goes out while its window is open.
/// </summary>
[Authorize(Policy = StaffPolicies.Research)]
public sealed class ControlsModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public StudyNav Nav { get; private set; } = null!;
    public Study Study { get; private set; } = null!;
    public IReadOnlyList<Wave> Waves { get; private set; } = [];
    public Dictionary<int, int> QueuedByWave { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct) =>
        await LoadAsync(studyId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostStudyAsync(int studyId, bool pause, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, ct))
        {
            return NotFound();
        }
        var problem = await Pausing.SetAsync(db, clock, User.Actor(), Study.Code, null, pause, ct);
        TempData["Notice"] = problem is not null ? Refused() : text[pause ? "Controls_StudyPaused" : "Controls_StudyOn"].Value;
        return RedirectToPage("/Console/Sending/Controls", new { studyId });
    }

    public async Task<IActionResult> OnPostWaveAsync(int studyId, int waveId, bool pause, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, ct))
        {
            return NotFound();
        }
        var wave = await db.Waves.SingleOrDefaultAsync(w => w.Id == waveId && w.StudyId == studyId, ct);
        if (wave is null)
        {
            return NotFound();
        }
        var problem = await Pausing.SetAsync(db, clock, User.Actor(), Study.Code, wave.Code, pause, ct);
        if (problem is not null)
        {
            TempData["Notice"] = Refused();
            return RedirectToPage("/Console/Sending/Controls", new { studyId });
        }
        TempData["Notice"] = text[pause ? "Controls_WavePaused" : "Controls_WaveOn", wave.Code].Value;
        return RedirectToPage("/Console/Sending/Controls", new { studyId });
    }

    /// <summary>A wave's status word ("active", "paused") in the staff member's language; an unknown code shows as itself.</summary>
    public static string WaveStatusLabel(IStringLocalizer<ConsoleText> text, string status) =>
        text["Controls_Wave_" + status] is { ResourceNotFound: false } label ? label.Value : status;

    // The study and wave were just loaded, so Pausing can only refuse a study that is neither active nor paused.
    private string Refused() => text["Controls_Refused", text.StudyStatus(Study.Status)].Value;

    private async Task<bool> LoadAsync(int studyId, CancellationToken ct)
    {
        var study = await db.Studies.SingleOrDefaultAsync(s => s.Id == studyId, ct);
        if (study is null)
        {
            return false;
        }
        Study = study;
        Nav = new StudyNav(study.Id, study.Code, study.Status, "sending", study.TimeZone);
        Waves = await db.Waves.AsNoTracking().Where(w => w.StudyId == studyId).OrderBy(w => w.Position).ThenBy(w => w.Code).ToListAsync(ct);
        QueuedByWave = await db.Messages.Where(m => m.Status == MessageStatus.Queued && m.Invitation!.StudyId == studyId)
            .GroupBy(m => m.Invitation!.WaveId).ToDictionaryAsync(g => g.Key, g => g.Count(), ct);
        return true;
    }
}
