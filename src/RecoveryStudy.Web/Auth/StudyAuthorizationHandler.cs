using Microsoft.AspNetCore.Authorization;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// The one place where study access is decided, for every page and API endpoint. On a route about a
/// study (see <see cref="StudyTarget"/>) the account must be a member of that study with a role the
/// rule allows (admins always are); a site-limited member is refused another site's participant and
/// every rule meant for the whole study. On any other route the account's own role decides. Either
/// way, every EF Core participant query of the request is limited to what the account may see, and
/// the grant is kept for the page (<see cref="StudyAccessExtensions.StudyGrant"/>).
/// </summary>
public sealed class StudyAuthorizationHandler(StudyDbContext db, StudyAccess access) : AuthorizationHandler<StaffRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffRequirement requirement)
    {
        if (context.User.StaffUserId() is null || context.Resource is not HttpContext http)
        {
            return;
        }
        var ct = http.RequestAborted;
        await access.LimitParticipantsAsync(context.User, ct);
        var rule = requirement.Rule;
        var target = await StudyTarget.ResolveAsync(http, db, ct);
        if (target is null)
        {
            if (rule.AccountRoles.Contains(context.User.StaffRole()))
            {
                context.Succeed(requirement);
            }
            return;
        }
        if (target.Missing)
        {
            // Admins get the page's own 404; anyone else learns nothing about what exists.
            if (context.User.IsInRole(StaffRole.Admin))
            {
                context.Succeed(requirement);
            }
            return;
        }
        var grant = await access.GrantAsync(context.User, target.StudyId!.Value, ct);
        if (grant is null || !(grant.Role == StaffRole.Admin || rule.MemberRoles.Contains(grant.Role)))
        {
            return;
        }
        if (grant.Sites is { } sites && (rule.WholeStudyOnly
            || (target.ParticipantId is not null && !(target.ParticipantCohortId is int cohort && sites.Contains(cohort)))))
        {
            return;
        }
        access.Current = grant;
        context.Succeed(requirement);
    }
}
