using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Api;
using RecoveryStudy.Web.Auth;
using RecoveryStudy.Web.Cli;

namespace RecoveryStudy.Web.Pages.Console.Admin;

/// <summary>
/// Staff accounts: create (a generated password shown once), change role, disable, enable,
/// unlock, reset the password, remove a linked OpenID Connect identity (not an account's only way in). An admin cannot disable or demote themselves, so the console
/// always keeps at least the admin who is using it. Disabling an account or resetting its
/// password ends its sessions and revokes its API tokens, for good (enabling it again brings
/// neither back); a role change or a removed identity ends its sessions. A console language set here applies from the
/// account's next sign-in (its cookie carries the language).
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class AccountsModel(StudyDbContext db, TimeProvider clock, StaffSessions sessions, StaffTotp totp, IStringLocalizer<ConsoleText> text) : PageModel
{
    public IReadOnlyList<StaffUser> Users { get; private set; } = [];

    [BindProperty, Required, StringLength(320)]
    public string NewEmail { get; set; } = "";

    [BindProperty, Required]
    public string NewRole { get; set; } = StaffRole.Researcher;

    /// <summary>A password just generated, shown on this response only.</summary>
    public (string Email, string Password)? Issued { get; private set; }

    public DateTime Now { get; private set; }
    public ZonedTime Time { get; private set; } = ZonedTime.Utc;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        // The same rule as participants' addresses: the console's test email goes to this address.
        if (EmailAddressRules.Check(NewEmail, out var email) is { } problem)
        {
            ModelState.AddModelError(nameof(NewEmail), text["ContactEmailProblem", problem]);
        }
        if (!StaffRole.All.Contains(NewRole))
        {
            ModelState.AddModelError(nameof(NewRole), text["AccountsBadRole"]);
        }
        if (ModelState.IsValid && await db.StaffUsers.AnyAsync(u => u.Email == email, ct))
        {
            ModelState.AddModelError(nameof(NewEmail), text["AccountsExists"]);
        }
        if (ModelState.IsValid)
        {
            var password = StaffAccounts.GeneratePassword();
            var user = new StaffUser { Email = email, Role = NewRole, PasswordHash = "", CreatedAt = clock.GetUtcNow().UtcDateTime };
            user.PasswordHash = StaffSignIn.Hash(user, password);
            db.StaffUsers.Add(user);
            await db.SaveChangesAsync(ct);
            AuditLog.Add(db, clock, User.Actor(), "staff.create", targetType: "staff_user", targetId: user.Id, details: new { role = NewRole });
            await db.SaveChangesAsync(ct);
            Issued = (email, password);
            NewEmail = "";
            ModelState.Clear();
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(int userId, string change, string? role, string? language, CancellationToken ct)
    {
        var user = await db.StaffUsers.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return NotFound();
        }
        var self = user.Id == User.StaffUserId();
        string notice;
        switch (change)
        {
            case "role" when role is not null && StaffRole.All.Contains(role) && !(self && role != StaffRole.Admin):
                AuditLog.Add(db, clock, User.Actor(), "staff.role_change", targetType: "staff_user", targetId: user.Id, details: new { before = user.Role, after = role });
                if (user.Role != role)
                {
                    // Ended rather than only refused, so changing the role back does not revive them.
                    await sessions.EndAllAsync(user.Id, SessionEnd.RoleChange, except: null, ct);
                }
                user.Role = role;
                notice = text["AccountsRoleSet", user.Email, role];
                break;
            case "disable" when !self:
                user.Disabled = true;
                AuditLog.Add(db, clock, User.Actor(), "staff.disable", targetType: "staff_user", targetId: user.Id,
                    details: await CutOffAsync(user.Id, SessionEnd.Disabled, ct));
                notice = text["AccountsDisabled", user.Email];
                break;
            case "enable":
                user.Disabled = false;
                AuditLog.Add(db, clock, User.Actor(), "staff.enable", targetType: "staff_user", targetId: user.Id);
                notice = text["AccountsEnabled", user.Email];
                break;
            case "unlock":
                user.LockedUntil = null;
                user.FailedSignIns = 0;
                AuditLog.Add(db, clock, User.Actor(), "staff.unlock", targetType: "staff_user", targetId: user.Id);
                notice = text["AccountsUnlocked", user.Email];
                break;
            case "language" when language is not null && StaffUser.Languages.Contains(language) && !self:
                AuditLog.Add(db, clock, User.Actor(), "staff.language", targetType: "staff_user", targetId: user.Id, details: new { before = user.Language, after = language });
                user.Language = language;
                notice = text["AccountsLanguageSet", user.Email, ConsoleLanguage.NameOf(language)];
                break;
            case "second_factor" when !self && user.TotpSecret is not null:
                await totp.ResetAsync(user, ct);
                AuditLog.Add(db, clock, User.Actor(), "staff.second_factor_reset", targetType: "staff_user", targetId: user.Id,
                    details: new { sessionsEnded = await sessions.EndAllAsync(user.Id, SessionEnd.SecondFactorReset, except: null, ct) });
                notice = $"{user.Email} has no second factor now and is signed out; they set it up again at their next sign-in.";
                break;
            case "oidc_unlink" when !self && LinkedIdentity.CanRemove(user):
                var issuer = LinkedIdentity.Remove(user, clock.GetUtcNow().UtcDateTime);
                AuditLog.Add(db, clock, User.Actor(), "staff.oidc_unlink", targetType: "staff_user", targetId: user.Id,
                    details: new { issuer, by = "admin", sessionsEnded = await sessions.EndAllAsync(user.Id, SessionEnd.IdentityUnlink, except: null, ct) });
                notice = text["Signin_AdminUnlinked", user.Email];
                break;
            case "reset" when !self:
                var password = StaffAccounts.GeneratePassword();
                user.PasswordHash = StaffSignIn.Hash(user, password);
                user.LockedUntil = null;
                user.FailedSignIns = 0;
                AuditLog.Add(db, clock, User.Actor(), "staff.password_reset", targetType: "staff_user", targetId: user.Id,
                    details: await CutOffAsync(user.Id, SessionEnd.PasswordReset, ct));
                await db.SaveChangesAsync(ct);
                Issued = (user.Email, password);
                await LoadAsync(ct);
                return Page();
            default:
                TempData["Notice"] = text["AccountsImpossible"].Value;
                return RedirectToPage("/Console/Admin/Accounts");
        }
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = notice;
        return RedirectToPage("/Console/Admin/Accounts");
    }

    /// <summary>Ends the account's sessions and revokes its API tokens; the counts go into the audit entry.</summary>
    private async Task<object> CutOffAsync(int userId, string reason, CancellationToken ct)
    {
        var sessionsEnded = await sessions.EndAllAsync(userId, reason, except: null, ct);
        var tokensRevoked = await ApiTokens.RevokeAllAsync(db, clock.GetUtcNow().UtcDateTime, userId, ct);
        return new { sessionsEnded, tokensRevoked };
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        Time = await ZonedTime.ForConsoleAsync(db, null, ct);
        Users = await db.StaffUsers.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
    }
}
