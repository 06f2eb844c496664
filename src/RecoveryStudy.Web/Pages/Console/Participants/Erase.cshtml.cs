using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.DataRights;
using RecoveryStudy.Participants;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// "Withdraw and erase" on the participant's request (docs/data-rights.md): a confirm step where
/// the participant's code must be typed, then <see cref="ParticipantErasure"/>. Members with
/// contact rights only; audited with counts, never with what was erased.
/// </summary>
[Authorize(Policy = StaffPolicies.Contacts)]
public sealed class EraseModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public Participant Participant { get; private set; } = null!;
    public StudyNav Nav { get; private set; } = null!;

    /// <summary>The participant's code, typed again: the confirmation that this is the right person.</summary>
    [BindProperty]
    public string? ConfirmCode { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (Participant.Status == ParticipantStatus.Erased)
        {
            return Page();
        }
        if (!string.Equals(ConfirmCode?.Trim(), Participant.Code, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(ConfirmCode), text["Erase_ErrConfirm", Participant.Code]);
            return Page();
        }
        var result = await ParticipantErasure.EraseAsync(db, clock, id, User.Actor(), ct);
        TempData["Notice"] = result is null
            ? text["Erase_NothingErased"].Value
            : text["Erase_Done", result.Answers, result.Responses, ParticipantErasure.TombstoneCode(id)].Value;
        return RedirectToPage("/Console/Participants/Details", new { id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var participant = await db.Participants.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (participant is null)
        {
            return false;
        }
        Participant = participant;
        Nav = (await StudyNav.LoadAsync(db, participant.StudyId, "participants", ct))!;
        return true;
    }
}
