using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Survey;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// Withdraws a participant on their behalf (they told the team by phone or letter): open
/// invitations end, queued email is cancelled, answers already given are kept.
/// </summary>
[Authorize(Policy = StaffPolicies.Contacts)]
public sealed class WithdrawModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public Participant Participant { get; private set; } = null!;
    public StudyNav Nav { get; private set; } = null!;

    [BindProperty, StringLength(2000)]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (!ParticipantStatus.HasLeft(Participant.Status))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await ParticipantChoices.WithdrawAsync(db, clock, Participant, Reason, User.Actor(), ct);
            await transaction.CommitAsync(ct);
        }
        TempData["Notice"] = text["WithdrawDone", Participant.Code].Value;
        return RedirectToPage("/Console/Participants/Details", new { id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var participant = await db.Participants.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (participant is null)
        {
            return false;
        }
        Participant = participant;
        Nav = (await StudyNav.LoadAsync(db, participant.StudyId, "participants", ct))!;
        return true;
    }
}
