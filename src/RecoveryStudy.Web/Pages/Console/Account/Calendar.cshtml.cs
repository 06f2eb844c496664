using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Staff;
using RecoveryStudy.Survey;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Account;

/// <summary>
/// The signed-in interviewer's calendar feed: make a new secret URL (shown once; any earlier one is
/// revoked) or revoke it. Audited without the token.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class CalendarModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public bool HasFeed { get; private set; }
    public string? NewUrl { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => HasFeed = await LiveFeeds().AnyAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var revoked = await LiveFeeds().ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        var (token, hash) = LinkTokens.Create();
        db.CalendarFeedTokens.Add(new CalendarFeedToken { Hash = hash, StaffUserId = User.StaffUserId()!.Value, CreatedAt = now });
        AuditLog.Add(db, clock, User.Actor(), "calendar.create", targetType: "staff_user", targetId: User.StaffUserId(), details: new { revoked });
        await db.SaveChangesAsync(ct);
        HasFeed = true;
        NewUrl = $"{Request.Scheme}://{Request.Host}/calendar/{token}.ics";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken ct)
    {
        var revoked = await LiveFeeds().ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.GetUtcNow().UtcDateTime), ct);
        AuditLog.Add(db, clock, User.Actor(), "calendar.revoke", targetType: "staff_user", targetId: User.StaffUserId(), details: new { revoked });
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = text["CalendarRevoked"].Value;
        return RedirectToPage();
    }

    private IQueryable<CalendarFeedToken> LiveFeeds()
    {
        var me = User.StaffUserId();
        return db.CalendarFeedTokens.Where(t => t.StaffUserId == me && t.RevokedAt == null);
    }
}
