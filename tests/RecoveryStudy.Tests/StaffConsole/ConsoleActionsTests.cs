using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>Every state change made through the console takes effect and leaves an audit entry.</summary>
public sealed class ConsoleActionsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> opened = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in opened)
        {
            await item.DisposeAsync();
        }
    }

    [Fact]
    public async Task Withdrawing_ends_open_invitations_cancels_queued_email_and_is_audited()
    {
        var (app, db, world, client) = await StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0010"];

        var response = await StaffSession.PostFormAsync(client, $"/participants/{p.Id}/withdraw", new() { ["Reason"] = "moved abroad" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ParticipantStatus.Withdrawn, (await db.Participants.AsNoTracking().SingleAsync(x => x.Id == p.Id)).Status);
        Assert.Equal(InvitationStatus.Withdrawn, (await db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == p.Id)).Status);
        Assert.All(await db.Messages.AsNoTracking().Where(m => m.Invitation!.ParticipantId == p.Id).ToListAsync(), m => Assert.Equal(MessageStatus.Cancelled, m.Status));
        await AssertAuditedAsync(db, "participant.withdraw", p.Id);
    }

    [Fact]
    public async Task Editing_anchor_dates_is_saved_and_audited()
    {
        var (app, db, world, client) = await StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0002"];

        var response = await StaffSession.PostFormAsync(client, $"/participants/{p.Id}/anchors", new() { ["Dates[course_start]"] = "2027-01-05", ["Dates[course_end]"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var anchor = await db.ParticipantAnchors.AsNoTracking().SingleAsync(a => a.ParticipantId == p.Id);
        Assert.Equal(("course_start", new DateOnly(2027, 1, 5)), (anchor.Name, anchor.Date));
        await AssertAuditedAsync(db, "participant.anchors", p.Id);
    }

    [Fact]
    public async Task Contact_details_are_shown_to_researchers_with_an_audit_entry_and_never_to_analysts()
    {
        var (app, db, world, researcher) = await StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0005"];
        var analystUser = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var analyst = await StaffSession.SignInAsync(app, analystUser.Email);

        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync(new Uri($"/participants/{p.Id}/contact", UriKind.Relative))).StatusCode);
        var details = await analyst.GetStringAsync(new Uri($"/participants/{p.Id}", UriKind.Relative));
        Assert.DoesNotContain(p.Contact!.Email, details, StringComparison.Ordinal);
        Assert.DoesNotContain("Show contact details", details, StringComparison.Ordinal);

        var shown = await researcher.GetStringAsync(new Uri($"/participants/{p.Id}/contact", UriKind.Relative));
        Assert.Contains(p.Contact.Email, shown, StringComparison.Ordinal);
        await AssertAuditedAsync(db, "contact.view", p.Id);

        // Correcting the rejected address makes the participant reachable again.
        var corrected = await StaffSession.PostFormAsync(researcher, $"/participants/{p.Id}/contact", new() { ["Email"] = "fixed-" + p.Contact.Email, ["Name"] = "Person 5" });
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        Assert.Null((await db.Participants.AsNoTracking().SingleAsync(x => x.Id == p.Id)).UndeliverableAt);
        await AssertAuditedAsync(db, "contact.update", p.Id);
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.TargetId == p.Id.ToString(CultureInfo.InvariantCulture)).ToListAsync();
        Assert.DoesNotContain(audit, a => a.Details != null && a.Details.Contains("example.org", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("paren(comment)@example.org", "holds a comment in parentheses")]
    [InlineData("colon:x@example.org", "is not a valid email address")]
    [InlineData("x@[10.0.0.1]", "has an IP address instead of a domain name")]
    public async Task A_contact_address_the_mail_software_reads_otherwise_is_refused_and_nothing_changes(string typed, string why)
    {
        var (app, db, world, researcher) = await StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0006"];

        var response = await StaffSession.PostFormAsync(researcher, $"/participants/{p.Id}/contact", new() { ["Email"] = typed, ["Name"] = "Person 6" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(why, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(p.Contact!.Email, (await db.ContactDetails.AsNoTracking().SingleAsync(c => c.ParticipantId == p.Id)).Email);
    }

    [Theory]
    [InlineData("paren(comment)@example.org", "holds a comment in parentheses")]
    [InlineData("colon:x@example.org", "is not a valid email address")]
    public async Task A_staff_address_the_mail_software_reads_otherwise_is_refused_and_no_account_is_made(string typed, string why)
    {
        var (app, db, _, admin) = await StartAsync(StaffRole.Admin);
        await using var _app = app;
        var before = await db.StaffUsers.CountAsync();

        var response = await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Create",
            new() { ["NewEmail"] = typed, ["NewRole"] = StaffRole.Researcher }, formPage: "/admin/accounts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(why, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(before, await db.StaffUsers.CountAsync());
    }

    [Fact]
    public async Task Resending_revokes_the_old_link_queues_the_invitation_again_and_is_audited()
    {
        var (app, db, world, client) = await StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0008"];
        var invitation = world.Invitations["P-0008"];

        var response = await StaffSession.PostFormAsync(client, $"/participants/{p.Id}/resend", new() { ["invitationId"] = invitation.Id.ToString(CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.All(await db.AccessTokens.AsNoTracking().Where(t => t.InvitationId == invitation.Id).ToListAsync(), t => Assert.NotNull(t.RevokedAt));
        var message = await db.Messages.AsNoTracking().SingleAsync(m => m.InvitationId == invitation.Id && m.Kind == MessageKind.Invitation);
        Assert.Equal(MessageStatus.Queued, message.Status);
        await AssertAuditedAsync(db, "invitation.resend", invitation.Id);
    }

    [Fact]
    public async Task Pausing_and_resuming_the_study_and_a_wave_is_recorded_and_audited()
    {
        var (app, db, world, client) = await StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var page = $"/studies/{world.Study.Id}/sending";
        var wave = world.Baseline.Id.ToString(CultureInfo.InvariantCulture);

        await StaffSession.PostFormAsync(client, page + "?handler=Wave", new() { ["waveId"] = wave, ["pause"] = "true" }, formPage: page);
        Assert.Equal(WaveStatus.Paused, (await db.Waves.AsNoTracking().SingleAsync(w => w.Id == world.Baseline.Id)).Status);
        await StaffSession.PostFormAsync(client, page + "?handler=Wave", new() { ["waveId"] = wave, ["pause"] = "false" }, formPage: page);
        Assert.Equal(WaveStatus.Active, (await db.Waves.AsNoTracking().SingleAsync(w => w.Id == world.Baseline.Id)).Status);
        await StaffSession.PostFormAsync(client, page + "?handler=Study", new() { ["pause"] = "true" }, formPage: page);
        Assert.Equal(StudyStatus.Paused, (await db.Studies.AsNoTracking().SingleAsync(s => s.Id == world.Study.Id)).Status);
        await StaffSession.PostFormAsync(client, page + "?handler=Study", new() { ["pause"] = "false" }, formPage: page);
        Assert.Equal(StudyStatus.Active, (await db.Studies.AsNoTracking().SingleAsync(s => s.Id == world.Study.Id)).Status);

        await AssertAuditedAsync(db, "wave.pause", world.Baseline.Id);
        await AssertAuditedAsync(db, "wave.resume", world.Baseline.Id);
        await AssertAuditedAsync(db, "study.pause", world.Study.Id);
        await AssertAuditedAsync(db, "study.resume", world.Study.Id);
    }

    [Fact]
    public async Task A_failed_email_can_be_tried_again_unless_its_address_was_rejected()
    {
        var (app, db, world, client) = await StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var outbox = $"/studies/{world.Study.Id}/outbox";
        var retryable = world.FailedMessages["P-0008"];
        var rejected = world.FailedMessages["P-0005"];

        var page = await client.GetStringAsync(new Uri(outbox + "?status=failed", UriKind.Relative));
        Assert.Contains("451 4.3.0 try again later", page, StringComparison.Ordinal);
        await StaffSession.PostFormAsync(client, outbox + "?handler=Retry", new() { ["messageId"] = retryable.Id.ToString(CultureInfo.InvariantCulture) }, formPage: outbox);
        await StaffSession.PostFormAsync(client, outbox + "?handler=Retry", new() { ["messageId"] = rejected.Id.ToString(CultureInfo.InvariantCulture) }, formPage: outbox);

        Assert.Equal(MessageStatus.Queued, (await db.Messages.AsNoTracking().SingleAsync(m => m.Id == retryable.Id)).Status);
        Assert.Equal(MessageStatus.Failed, (await db.Messages.AsNoTracking().SingleAsync(m => m.Id == rejected.Id)).Status);
        await AssertAuditedAsync(db, "message.retry", retryable.Id);
    }

    [Fact]
    public async Task Admins_create_re_role_and_disable_accounts_with_audit_entries()
    {
        var (app, db, _, admin) = await StartAsync(StaffRole.Admin);
        await using var __ = app;
        var email = $"new-{Guid.NewGuid():N}@example.org";

        var created = await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Create", new() { ["NewEmail"] = email, ["NewRole"] = StaffRole.Analyst }, formPage: "/admin/accounts");
        var body = await created.Content.ReadAsStringAsync();
        var user = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Email == email);
        Assert.Contains("issued-password", body, StringComparison.Ordinal);
        await AssertAuditedAsync(db, "staff.create", user.Id);

        await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Change",
            new() { ["userId"] = user.Id.ToString(CultureInfo.InvariantCulture), ["change"] = "role", ["role"] = StaffRole.Researcher }, formPage: "/admin/accounts");
        Assert.Equal(StaffRole.Researcher, (await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).Role);
        await AssertAuditedAsync(db, "staff.role_change", user.Id);

        await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Change",
            new() { ["userId"] = user.Id.ToString(CultureInfo.InvariantCulture), ["change"] = "disable" }, formPage: "/admin/accounts");
        Assert.True((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).Disabled);
        await AssertAuditedAsync(db, "staff.disable", user.Id);

        // The audit log page lists and filters these entries.
        var log = await admin.GetStringAsync(new Uri("/admin/audit?action=staff", UriKind.Relative));
        Assert.Contains("staff.disable", log, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"signin\"", log, StringComparison.Ordinal);
    }

    private async Task<(TestApp App, StudyDbContext Db, ConsoleWorld World, HttpClient Client)> StartAsync(string role)
    {
        var db = database.CreateContext();
        opened.Add(db);
        var world = await ConsoleWorld.CreateAsync(db);
        var user = await StaffSession.CreateUserAsync(db, role);
        var app = await TestApp.StartAsync(database.ConnectionString);
        return (app, db, world, await StaffSession.SignInAsync(app, user.Email));
    }

    private static async Task AssertAuditedAsync(StudyDbContext db, string action, object targetId)
    {
        var id = Convert.ToString(targetId, CultureInfo.InvariantCulture);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == action && a.TargetId == id && a.StaffUserId != null),
            $"no staff audit entry {action} for {id}");
    }
}
