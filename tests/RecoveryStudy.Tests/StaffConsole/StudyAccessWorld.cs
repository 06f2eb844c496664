using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Bounces;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>
/// Two analyst studies (A and B, <see cref="AnalystWorld"/>): in A, cohort c8 holds P-0001, P-0002
/// and P-0005, cohort c9 P-0003 and P-0004, and P-0006 has no cohort; each of A's participants
/// has a bounce report, so the bounces page lists codes too.
/// </summary>
public sealed class StudyAccessWorld
{
    public static readonly string[] SiteC8 = ["P-0001", "P-0002", "P-0005"];
    public static readonly string[] NotC8 = ["P-0003", "P-0004", "P-0006"];

    public required AnalystWorldBuilder A { get; init; }
    public required AnalystWorldBuilder B { get; init; }
    public required RouteRules.StudyIds IdsA { get; init; }
    public required RouteRules.StudyIds IdsAOtherSite { get; init; }
    public required RouteRules.StudyIds IdsB { get; init; }

    public static async Task<StudyAccessWorld> CreateAsync(StudyDbContext db)
    {
        var a = await AnalystWorld.CreateAsync(db);
        var b = await AnalystWorld.CreateAsync(db);
        foreach (var p in await db.Participants.Where(p => p.StudyId == a.Study.Id).ToListAsync())
        {
            db.BounceReports.Add(new BounceReport { ReceivedAt = DateTime.UtcNow, SourceHash = Guid.NewGuid().ToString("N"), Kind = BounceKind.Hard, ParticipantId = p.Id, StudyId = a.Study.Id, Status = "5.1.1" });
        }
        await db.SaveChangesAsync();
        return new StudyAccessWorld
        {
            A = a, B = b,
            IdsA = await IdsAsync(db, a.Study.Id, "P-0001"),
            IdsAOtherSite = await IdsAsync(db, a.Study.Id, "P-0003"),
            IdsB = await IdsAsync(db, b.Study.Id, "P-0001"),
        };
    }

    public static async Task<RouteRules.StudyIds> IdsAsync(StudyDbContext db, int studyId, string participantCode = "P-0001")
    {
        var code = await db.Studies.Where(s => s.Id == studyId).Select(s => s.Code).SingleAsync();
        var participant = await db.Participants.Where(p => p.StudyId == studyId && p.Code == participantCode).Select(p => p.Id).SingleAsync();
        var version = await db.InstrumentVersions.Where(v => db.Instruments.Any(i => i.Id == v.InstrumentId && i.StudyId == studyId)).Select(v => v.Id).FirstAsync();
        return new RouteRules.StudyIds(studyId, code, participant, version);
    }

    public int CohortId(string code) => A.Cohorts[code].Id;

    /// <summary>A new account (of the given account role) that is a member of study A.</summary>
    public async Task<StaffUser> MemberOfAAsync(StudyDbContext db, string accountRole, string memberRole, params int[] sites)
    {
        var user = await StaffSession.CreateUserAsync(db, accountRole, joinStudies: false);
        db.StudyMembers.Add(new StudyMember { StaffUserId = user.Id, StudyId = A.Study.Id, Role = memberRole, CohortIds = sites.Length == 0 ? null : sites, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return user;
    }
}
