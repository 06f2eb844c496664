using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Sending;

/// <summary>Pausing through the console stops the real dispatcher; the test email reaches the staff member's own address.</summary>
public sealed class SendingControlTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task A_paused_wave_sends_nothing_until_it_is_resumed()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("P-1");
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var page = $"/studies/{world.Study.Id}/sending";
        var wave = world.Wave.Id.ToString(CultureInfo.InvariantCulture);

        await StaffSession.PostFormAsync(client, page + "?handler=Wave", new() { ["waveId"] = wave, ["pause"] = "true" }, formPage: page);
        Assert.Equal(0, await world.Jobs.TickAsync());
        world.Clock.Advance(TimeSpan.FromDays(4));
        Assert.Equal(0, await world.Jobs.TickAsync());
        Assert.DoesNotContain(sink.Messages(), m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email));
        Assert.Contains(await world.MessagesAsync(), m => m.Status == MessageStatus.Queued);

        await StaffSession.PostFormAsync(client, page + "?handler=Wave", new() { ["waveId"] = wave, ["pause"] = "false" }, formPage: page);
        Assert.True(await world.Jobs.TickAsync() >= 1);
        Assert.Contains(await sink.WaitForAsync(1), m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email));
        Assert.True(await world.Db.AuditEntries.AnyAsync(a => a.Action == "wave.pause" && a.StaffUserId == researcher.Id));
        Assert.True(await world.Db.AuditEntries.AnyAsync(a => a.Action == "wave.resume" && a.StaffUserId == researcher.Id));
    }

    [Fact]
    public async Task A_test_email_goes_to_the_staff_members_own_address_only_and_is_audited()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [3, 7]);
        await world.ParticipantAsync("P-2");
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Mail:Transport"] = "smtp", ["Mail:Smtp:Host"] = "127.0.0.1", ["Mail:Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
        });
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var page = $"/studies/{world.Study.Id}/test-email";

        var response = await StaffSession.PostFormAsync(client, page, new() { ["Choice"] = $"{world.Wave.Id}:reminder:2", ["Language"] = "pl" });
        Assert.Contains("Sent to", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var email = Assert.Single(await sink.WaitForAsync(1), m => m.To.Mailboxes.Any(b => b.Address == researcher.Email));
        Assert.StartsWith("[TEST] ", email.Subject, StringComparison.Ordinal);
        Assert.Single(email.To.Mailboxes);
        Assert.DoesNotContain(await world.MessagesAsync(), m => m.Status == MessageStatus.Sent);
        Assert.True(await world.Db.AuditEntries.AnyAsync(a => a.Action == "mail.test" && a.StaffUserId == researcher.Id));
    }

    [Fact]
    public async Task The_schedule_preview_shows_the_planned_invitation_and_a_resend_goes_out_with_a_new_link()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("P-3");
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);

        var schedule = await client.GetStringAsync(new Uri($"/participants/{participant.Id}/schedule", UriKind.Relative));
        Assert.Contains("2027-03-01", schedule, StringComparison.Ordinal);
        Assert.Contains("invitation:", schedule, StringComparison.Ordinal);

        Assert.Equal(1, await world.Jobs.TickAsync());
        var first = Assert.Single(await sink.WaitForAsync(1), m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email));
        var invitation = await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == participant.Id);

        var resend = await StaffSession.PostFormAsync(client, $"/participants/{participant.Id}/resend",
            new() { ["invitationId"] = invitation.Id.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, resend.StatusCode);
        Assert.Equal(1, await world.Jobs.TickAsync());

        var emails = sink.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email)).ToList();
        Assert.Equal(2, emails.Count);
        var oldLink = System.Text.RegularExpressions.Regex.Match(first.TextBody ?? "", "/s/([A-Za-z0-9_-]{43})").Groups[1].Value;
        var newLink = System.Text.RegularExpressions.Regex.Match(emails.Last().TextBody ?? "", "/s/([A-Za-z0-9_-]{43})").Groups[1].Value;
        Assert.NotEqual(oldLink, newLink);
        var oldToken = await world.Db.AccessTokens.AsNoTracking().SingleAsync(t => t.Hash == RecoveryStudy.Survey.LinkTokens.Hash(oldLink)!);
        var newToken = await world.Db.AccessTokens.AsNoTracking().SingleAsync(t => t.Hash == RecoveryStudy.Survey.LinkTokens.Hash(newLink)!);
        Assert.NotNull(oldToken.RevokedAt);
        Assert.Null(newToken.RevokedAt);
    }
}
