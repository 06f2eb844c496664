using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Bounces;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>
/// Every console page shows a stored moment in the study's time zone, with the zone named, never
/// the UTC value: a study in Pacific/Auckland (12 hours from UTC in June) makes a UTC time visible.
/// </summary>
public sealed class StudyTimeZoneTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Zone = "Pacific/Auckland";

    /// <summary>15 June 2026 03:07 UTC is 15:07 in Auckland (NZST, +12).</summary>
    private static readonly DateTime Moment = new(2026, 6, 15, 3, 7, 0, DateTimeKind.Utc);
    private const string Local = @"2026-06-15 15:07(:00)? \(Pacific/Auckland\)";
    private const string Utc = "2026-06-15 03:07";

    [Theory]
    [InlineData("participant")]
    [InlineData("schedule")]
    [InlineData("outbox")]
    [InlineData("bounces")]
    [InlineData("audit")]
    [InlineData("tokens")]
    [InlineData("accounts")]
    public async Task A_page_shows_times_in_the_study_time_zone_and_names_it(string family)
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        await PlaceInAucklandAsync(db, world, admin);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, admin.Email);
        var participant = world.Participants["P-0001"].Id;
        var path = family switch
        {
            "participant" => $"/participants/{participant}",
            "schedule" => $"/participants/{participant}/schedule",
            "outbox" => $"/studies/{world.Study.Id}/outbox",
            "bounces" => $"/studies/{world.Study.Id}/bounces",
            "audit" => $"/admin/audit?study={world.Study.Id}",
            "tokens" => "/account/tokens",
            _ => "/admin/accounts",
        };

        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));

        Assert.Matches(Local, html);
        Assert.DoesNotContain(Utc, html, StringComparison.Ordinal);
        Assert.DoesNotContain(" UTC", html, StringComparison.Ordinal);
    }

    /// <summary>The study, its people and one moment of every kind the pages show, all at <see cref="Moment"/>.</summary>
    private static async Task PlaceInAucklandAsync(StudyDbContext db, ConsoleWorld world, StaffUser admin)
    {
        var studyId = world.Study.Id;
        await db.Studies.Where(s => s.Id == studyId).ExecuteUpdateAsync(u => u.SetProperty(s => s.TimeZone, Zone));
        await db.Participants.Where(p => p.StudyId == studyId).ExecuteUpdateAsync(u => u.SetProperty(p => p.TimeZone, Zone));
        var invitation = world.Invitations["P-0001"].Id;
        await db.Invitations.Where(i => i.Id == invitation).ExecuteUpdateAsync(u => u.SetProperty(i => i.SentAt, Moment));
        await db.Messages.Where(m => m.InvitationId == invitation).ExecuteUpdateAsync(u => u.SetProperty(m => m.SentAt, Moment).SetProperty(m => m.DueAt, Moment));
        var failed = world.FailedMessages["P-0005"].Id;
        await db.Messages.Where(m => m.Id == failed).ExecuteUpdateAsync(u => u.SetProperty(m => m.DueAt, Moment));
        db.BounceReports.Add(new BounceReport
        {
            ReceivedAt = Moment, SourceHash = Guid.NewGuid().ToString("N"), Kind = BounceKind.Hard,
            ParticipantId = world.Participants["P-0005"].Id, StudyId = studyId, Status = "5.1.1", Detail = "550 5.1.1 user unknown",
        });
        db.AuditEntries.Add(new AuditEntry { At = Moment, StaffUserId = admin.Id, ActorKind = "staff", Action = "test.moment", StudyId = studyId });
        db.ApiTokens.Add(new ApiToken { StaffUserId = admin.Id, Name = "moment", Hash = Guid.NewGuid().ToByteArray(), CreatedAt = Moment });
        // The admin's own sign-in sets their time to now; a colleague last signed in at the moment.
        var colleague = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        colleague.LastSignInAt = Moment;
        await db.SaveChangesAsync();
    }
}
