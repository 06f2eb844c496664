using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecoveryStudy.Data;
using RecoveryStudy.Web.Api;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Account;

/// <summary>
/// API tokens: each staff member sees and revokes their own, an admin every token. Tokens are
/// issued with the CLI (`api-token issue`); their values are never shown again.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class TokensModel(StudyDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<ApiTokens.Listed> Tokens { get; private set; } = [];

    public bool IsAdmin => User.StaffRole() == StaffRole.Admin;

    public DateTime Now { get; private set; }
    public ZonedTime Time { get; private set; } = ZonedTime.Utc;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        Time = await ZonedTime.ForConsoleAsync(db, null, ct);
        Tokens = await ApiTokens.ListAsync(db, IsAdmin ? null : User.StaffUserId(), ct);
    }

    public async Task<IActionResult> OnPostRevokeAsync(int tokenId, CancellationToken ct)
    {
        // Someone else's token is "not found" to anyone but an admin, so ids reveal nothing.
        var outcome = await ApiTokens.RevokeAsync(db, clock, User.Actor(), tokenId, IsAdmin ? null : User.StaffUserId(), ct);
        if (outcome == ApiTokens.RevokeOutcome.NotFound)
        {
            return NotFound();
        }
        TempData["Notice"] = outcome == ApiTokens.RevokeOutcome.Revoked
            ? $"API token {tokenId} is revoked; it is refused from now on."
            : $"API token {tokenId} was revoked already.";
        return RedirectToPage("/Console/Account/Tokens");
    }
}
