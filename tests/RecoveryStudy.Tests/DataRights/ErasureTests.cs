using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Bounces;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Reports;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.DataRights;

/// <summary>
/// "Withdraw and erase": afterwards no table or column of the database holds the participant's
/// name, address or answer text (found there before), and the study's figures keep their totals
/// with the participant counted as withdrawn.
/// </summary>
public sealed class ErasureTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task After_erasure_no_column_of_any_table_holds_the_name_address_or_answers_and_the_figures_keep_their_totals()
    {
        var (app, db, world, researcher) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        await using var dataSource = database.CreateDataSource();
        var p = world.Participants["P-0001"];
        var tag = Guid.NewGuid().ToString("N")[..8];
        var name = "Zebulon Quaffington " + tag;
        var email = $"zq.{tag}@example.org";
        var answer = "my brother Lucjan drove me to the clinic " + tag;
        var reason = "moving in with Aunt Wilhelmina " + tag;
        await GiveAFullHistoryAsync(db, world, p, name, email, answer, reason);
        await DataRightsWorld.ConsentAsync(db, world.Study.Id, p.Id, world.Invitations[p.Code].Id, futureContact: true);
        // The team looked at and downloaded the data first: their audit entries must not carry it either.
        await researcher.GetStringAsync(new Uri($"/participants/{p.Id}/contact", UriKind.Relative));
        await researcher.GetStringAsync(new Uri($"/participants/{p.Id}/copy?format=json", UriKind.Relative));
        foreach (var needle in new[] { name, email, answer, reason })
        {
            Assert.NotEmpty(await DatabaseTextScan.FindAsync(dataSource, needle)); // the scan does see it while it is there
        }
        var before = (await ResponseReport.ComputeAsync(dataSource, world.Study.Code, default))!.Rows;
        var invitations = await db.Invitations.CountAsync(i => i.ParticipantId == p.Id);

        var wrong = await StaffSession.PostFormAsync(researcher, $"/participants/{p.Id}/erase", new() { ["ConfirmCode"] = "P-0002" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Confirm code", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await db.ContactDetails.AnyAsync(c => c.ParticipantId == p.Id));

        var erased = await StaffSession.PostFormAsync(researcher, $"/participants/{p.Id}/erase", new() { ["ConfirmCode"] = "P-0001" });
        Assert.Equal(HttpStatusCode.Redirect, erased.StatusCode);

        foreach (var needle in new[] { name, tag })
        {
            var left = await DatabaseTextScan.FindAsync(dataSource, needle);
            Assert.True(left.Count == 0, $"'{needle}' is still in " + string.Join(", ", left));
        }
        Assert.False(await db.Set<RecoveryStudy.Consent.ConsentRecord>().AnyAsync(c => c.ParticipantId == p.Id));
        var tombstone = await db.Participants.AsNoTracking().SingleAsync(x => x.Id == p.Id);
        Assert.Equal(ParticipantStatus.Erased, tombstone.Status);
        Assert.Equal("erased-" + p.Id, tombstone.Code);
        Assert.Equal(world.CohortA.Id, tombstone.CohortId);
        Assert.Equal(invitations, await db.Invitations.CountAsync(i => i.ParticipantId == p.Id));
        await ConsoleActions.AssertAuditedAsync(db, "participant.erase", p.Id);

        // Same totals; the participant moved to withdrawn in every wave of their cohort.
        var after = (await ResponseReport.ComputeAsync(dataSource, world.Study.Code, default))!.Rows;
        Assert.Equal(before.Select(r => (r.Wave, r.Cohort, r.Eligible)), after.Select(r => (r.Wave, r.Cohort, r.Eligible)));
        foreach (var (b, a) in before.Zip(after))
        {
            var theirs = b.Cohort is null or "ed8";
            Assert.Equal(b.Withdrawn + (theirs ? 1 : 0), a.Withdrawn);
            Assert.Equal(b.Invited, a.Invited);
        }
        var baseline = after.Single(r => r.Wave == "baseline" && r.Cohort == "ed8");
        Assert.Equal(before.Single(r => r.Wave == "baseline" && r.Cohort == "ed8").Completed - 1, baseline.Completed);
        Assert.Equal(HttpStatusCode.OK, (await researcher.GetAsync(new Uri($"/studies/{world.Study.Id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await researcher.GetAsync(new Uri($"/participants/{p.Id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task An_analyst_cannot_erase_and_nothing_changes()
    {
        var (app, db, world, _) = await console.StartAsync(StaffRole.Researcher);
        await using var __ = app;
        var p = world.Participants["P-0002"];
        var analystUser = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var analyst = await StaffSession.SignInAsync(app, analystUser.Email);

        var response = await StaffSession.PostFormAsync(analyst, $"/participants/{p.Id}/erase", new() { ["ConfirmCode"] = "P-0002" }, formPage: $"/participants/{p.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(await db.ContactDetails.AnyAsync(c => c.ParticipantId == p.Id));
        Assert.Equal(ParticipantStatus.Active, (await db.Participants.AsNoTracking().SingleAsync(x => x.Id == p.Id)).Status);
    }

    /// <summary>Contact details, a greeting name, an answer, an opt-out, own anchor date, a link, a relay reply and a bounce naming them.</summary>
    private static async Task GiveAFullHistoryAsync(StudyDbContext db, Infrastructure.Builders.ConsoleWorld world, Participant p,
        string name, string email, string answer, string reason)
    {
        var invitation = world.Invitations[p.Code];
        await db.ContactDetails.Where(c => c.ParticipantId == p.Id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Email, email).SetProperty(c => c.Name, name).SetProperty(c => c.FirstName, name.Split(' ')[0] + name[^8..]));
        await db.Participants.Where(x => x.Id == p.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.OptedOutAt, DateTime.UtcNow).SetProperty(x => x.WithdrawalReason, reason));
        await DataRightsWorld.AnswerAsync(db, invitation.Id, answer);
        db.ParticipantAnchors.Add(new ParticipantAnchor { ParticipantId = p.Id, Name = "course_end", Date = new DateOnly(2026, 6, 1) });
        db.AccessTokens.Add(new AccessToken { Hash = LinkTokens.Create().Hash, InvitationId = invitation.Id, Purpose = TokenPurpose.Unsubscribe, CreatedAt = DateTime.UtcNow });
        var message = await db.Messages.SingleAsync(m => m.InvitationId == invitation.Id);
        message.LastError = $"250 2.0.0 accepted for <{email}>";
        db.BounceReports.Add(new BounceReport
        {
            ReceivedAt = DateTime.UtcNow, SourceHash = Guid.NewGuid().ToString("N"), Kind = BounceKind.AutoReply,
            MessageId = message.Id, ParticipantId = p.Id, StudyId = p.StudyId, Detail = $"out of office: {name}",
        });
        await db.SaveChangesAsync();
    }
}
