using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>What the signed-in account may do in the study of this request: its role there and, if limited, its sites.</summary>
public sealed record StudyGrant(int StudyId, string Role, int[]? Sites)
{
    public bool SeesContacts => StudyMemberRole.SeesContacts(Role);

    /// <summary>May run the study (protocol, enrollment, sending): an admin, or a researcher of the whole study.</summary>
    public bool RunsStudy => Role is StaffRole.Admin or StudyMemberRole.Researcher && Sites is null;
}

/// <summary>
/// The signed-in account's study memberships, read once per request. Admins are members of every
/// study with the role "admin"; anyone else only of the studies in <c>study_members</c>.
/// </summary>
public sealed class StudyAccess(StudyDbContext db)
{
    private Dictionary<int, StudyMember>? memberships;

    /// <summary>The grant of the study this request is about, set by <see cref="StudyAuthorizationHandler"/>.</summary>
    public StudyGrant? Current { get; internal set; }

    public async Task<IReadOnlyDictionary<int, StudyMember>> MembershipsAsync(int staffUserId, CancellationToken ct) =>
        memberships ??= await db.StudyMembers.AsNoTracking().Where(m => m.StaffUserId == staffUserId).ToDictionaryAsync(m => m.StudyId, ct);

    /// <summary>The account's grant in a study, or null when it is not a member.</summary>
    public async Task<StudyGrant?> GrantAsync(ClaimsPrincipal user, int studyId, CancellationToken ct)
    {
        if (user.StaffUserId() is not int userId)
        {
            return null;
        }
        if (user.IsInRole(StaffRole.Admin))
        {
            return new StudyGrant(studyId, StaffRole.Admin, null);
        }
        return (await MembershipsAsync(userId, ct)).TryGetValue(studyId, out var member) ? new StudyGrant(studyId, member.Role, member.CohortIds) : null;
    }

    /// <summary>The studies the account may see; null for an admin (all of them).</summary>
    public async Task<int[]?> VisibleStudiesAsync(ClaimsPrincipal user, CancellationToken ct) =>
        user.IsInRole(StaffRole.Admin) || user.StaffUserId() is not int userId ? null : [.. (await MembershipsAsync(userId, ct)).Keys];

    /// <summary>
    /// Limits every EF Core participant query of this request to what the account may see: the
    /// participants of the studies it is a whole-study member of, and of the sites it is limited to.
    /// </summary>
    public async Task LimitParticipantsAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.IsInRole(StaffRole.Admin) || user.StaffUserId() is not int userId || db.LimitParticipants)
        {
            return;
        }
        var all = (await MembershipsAsync(userId, ct)).Values;
        db.LimitParticipantsTo(
            [.. all.Where(m => m.CohortIds is null).Select(m => m.StudyId)],
            [.. all.Where(m => m.CohortIds is not null).SelectMany(m => m.CohortIds!)]);
    }
}

public static class StudyAccessExtensions
{
    /// <summary>The grant in this request's study (null on pages about no study).</summary>
    public static StudyGrant? StudyGrant(this HttpContext http) => http.RequestServices.GetRequiredService<StudyAccess>().Current;

    /// <summary>The cohort ids this request may see participants of, for hand-written SQL; null: every participant.</summary>
    public static int[]? ParticipantSites(this HttpContext http) => http.StudyGrant()?.Sites;
}
