using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// A participant's email and name: researchers and admins only, every view audited. Correcting
/// an address the relay rejected makes the participant reachable again.
/// </summary>
[Authorize(Policy = StaffPolicies.Contacts)]
public sealed class ContactModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public Participant Participant { get; private set; } = null!;
    public StudyNav Nav { get; private set; } = null!;

    [BindProperty, Required]
    public string Email { get; set; } = "";

    [BindProperty, StringLength(200)]
    public string? Name { get; set; }

    /// <summary>How emails greet the participant; empty: a neutral greeting.</summary>
    [BindProperty, StringLength(100)]
    public string? FirstName { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Email = Participant.Contact?.Email ?? "";
        Name = Participant.Contact?.Name;
        FirstName = Participant.Contact?.FirstName;
        AuditLog.Add(db, clock, User.Actor(), "contact.view", Participant.StudyId, "participant", Participant.Id);
        await db.SaveChangesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        // The rules of the roster import: the address MimeKit will send to, exactly as stored.
        if (EmailAddressRules.Check(Email ?? "", out var email) is { } problem)
        {
            ModelState.AddModelError(nameof(Email), text["ContactEmailProblem", problem]);
        }
        if (ModelState.IsValid && await db.ContactDetails.AnyAsync(c => c.StudyId == Participant.StudyId && c.Email == email && c.ParticipantId != id, ct))
        {
            ModelState.AddModelError(nameof(Email), text["ContactTaken"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var contact = Participant.Contact;
        if (contact is null)
        {
            contact = new ContactDetails { ParticipantId = id, StudyId = Participant.StudyId, Email = email };
            db.ContactDetails.Add(contact);
        }
        var addressChanged = contact.Email != email;
        contact.Email = email;
        contact.Name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim();
        contact.FirstName = string.IsNullOrWhiteSpace(FirstName) ? null : FirstName.Trim();
        contact.UpdatedAt = now;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var resent = 0;
        if (addressChanged && Participant.UndeliverableAt is not null)
        {
            // A corrected address may be tried again: open invitations go out again with a fresh link.
            resent = await Bounces.AddressCorrection.ReplanAsync(db, id, now, ct);
            Participant.UndeliverableAt = null;
            Participant.UpdatedAt = now;
        }
        AuditLog.Add(db, clock, User.Actor(), "contact.update", Participant.StudyId, "participant", id,
            new { address_changed = addressChanged, invitations_resent = resent });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        TempData["Notice"] = resent > 0 ? text.Plural("ContactSavedResent", resent).Value : text["ContactSaved"].Value;
        return RedirectToPage("/Console/Participants/Details", new { id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var participant = await db.Participants.Include(p => p.Contact).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (participant is null)
        {
            return false;
        }
        Participant = participant;
        Nav = (await StudyNav.LoadAsync(db, participant.StudyId, "participants", ct))!;
        return true;
    }
}
