using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecoveryStudy.DataRights;
using RecoveryStudy.Participants;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Tests.Survey;

namespace RecoveryStudy.Tests.DataRights;

/// <summary>
/// A participant asks for a copy of their data on the unsubscribe page: a confirmation email with a
/// single-use link, then the copy by email, both to the address on file (SMTP sink).
/// </summary>
public sealed partial class CopyRequestTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task The_button_emails_a_single_use_link_and_confirming_it_emails_the_copy_to_the_address_on_file()
    {
        var (app, world, email) = await StartAsync();
        await using var _ = app;
        using var client = new ParticipantClient(app);

        var (__, unsubscribe, ___) = await client.GetAsync("/u/" + world.UnsubscribeToken);
        var requested = await client.PostAsync("/unsubscribe?handler=Copy", [new("__rs_af", ParticipantClient.AntiforgeryToken(unsubscribe))]);
        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        Assert.Contains("We have sent you an email with a link", await requested.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var confirmation = Assert.Single(await ToAsync(email, 1));
        var token = CopyLink().Match(confirmation.TextBody ?? "").Groups["token"].Value;
        Assert.Equal(43, token.Length);
        await using (var db = database.CreateContext())
        {
            var stored = await db.Set<DataCopyRequest>().AsNoTracking().SingleAsync(r => r.ParticipantId == world.Participant.Id);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)), stored.TokenHash);
            Assert.Equal(DataCopyMail.LinkLifetime, stored.ExpiresAt - stored.CreatedAt);
        }

        // Opening the link sends nothing (mail scanners follow links); the button does.
        var (opened, confirmPage, ____) = await client.GetAsync("/copy/" + token);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(b => b.Address == email));
        var sent = await client.PostAsync("/copy/" + token, [new("__rs_af", ParticipantClient.AntiforgeryToken(confirmPage))]);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("Your copy is on its way", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var copy = (await ToAsync(email, 2)).Single(m => m.Attachments.Any());
        var attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(copy.Attachments));
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        var html = System.Text.Encoding.UTF8.GetString(content.ToArray());
        Assert.Contains("P-0042", html, StringComparison.Ordinal);
        Assert.Contains(email, html, StringComparison.Ordinal);

        // Single use: the same link again is refused and sends nothing more.
        var again = await client.PostAsync("/copy/" + token, [new("__rs_af", ParticipantClient.AntiforgeryToken(confirmPage))]);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/copy/" + token)).Response.StatusCode);
        Assert.Equal(2, sink.Messages().Count(m => m.To.Mailboxes.Any(b => b.Address == email)));
        await using (var db = database.CreateContext())
        {
            var id = world.Participant.Id.ToString(CultureInfo.InvariantCulture);
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "participant.data_copy_request" && a.TargetId == id));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "participant.data_copy" && a.TargetId == id && a.ActorKind == "participant"));
        }
    }

    [Fact]
    public async Task An_expired_link_sends_nothing()
    {
        var (app, world, email) = await StartAsync();
        await using var _ = app;
        using var client = new ParticipantClient(app);
        var (__, unsubscribe, ___) = await client.GetAsync("/u/" + world.UnsubscribeToken);
        await client.PostAsync("/unsubscribe?handler=Copy", [new("__rs_af", ParticipantClient.AntiforgeryToken(unsubscribe))]);
        var confirmation = Assert.Single(await ToAsync(email, 1));
        var token = CopyLink().Match(confirmation.TextBody ?? "").Groups["token"].Value;
        await using (var db = database.CreateContext())
        {
            await db.Set<DataCopyRequest>().Where(r => r.ParticipantId == world.Participant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        var (opened, page, ____) = await client.GetAsync("/copy/" + token);
        Assert.Equal(HttpStatusCode.NotFound, opened.StatusCode);
        Assert.DoesNotContain("Send me my copy", page, StringComparison.Ordinal);
        Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(b => b.Address == email));
    }

    [Theory]
    [InlineData("pl", "Twoje dane w badaniu", "Link działa jeden raz", "Etapy i odpowiedzi")]
    [InlineData("da", "Dine data i undersøgelsen", "Linket virker én gang", "Runder og svar")]
    public async Task A_participant_gets_the_confirmation_and_the_copy_in_their_language(string language, string subject, string confirmText, string heading)
    {
        var (app, world, email) = await StartAsync(language);
        await using var _ = app;
        using var client = new ParticipantClient(app);
        var (__, unsubscribe, ___) = await client.GetAsync("/u/" + world.UnsubscribeToken);
        await client.PostAsync("/unsubscribe?handler=Copy", [new("__rs_af", ParticipantClient.AntiforgeryToken(unsubscribe))]);

        var confirmation = Assert.Single(await ToAsync(email, 1));
        Assert.StartsWith(subject + " " + world.Study.Code + ":", confirmation.Subject, StringComparison.Ordinal);
        Assert.Contains(confirmText, confirmation.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("The link works once", confirmation.TextBody, StringComparison.Ordinal);
        var token = CopyLink().Match(confirmation.TextBody ?? "").Groups["token"].Value;
        var (____, confirmPage, _____) = await client.GetAsync("/copy/" + token);
        await client.PostAsync("/copy/" + token, [new("__rs_af", ParticipantClient.AntiforgeryToken(confirmPage))]);

        var copy = (await ToAsync(email, 2)).Single(m => m.Attachments.Any());
        Assert.Equal(subject + " " + world.Study.Code, copy.Subject);
        Assert.DoesNotContain("Attached is a copy", copy.TextBody, StringComparison.Ordinal);
        var attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(copy.Attachments));
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        // HtmlEncode writes Danish letters as numeric references: compare the decoded text.
        var html = WebUtility.HtmlDecode(System.Text.Encoding.UTF8.GetString(content.ToArray()));
        Assert.Contains($"<html lang=\"{language}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<h1>{subject} {world.Study.Code}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"<h2>{heading}</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Waves and answers", html, StringComparison.Ordinal);
        Assert.Contains("P-0042", html, StringComparison.Ordinal);
    }

    private async Task<(TestApp App, SurveyWorld World, string Email)> StartAsync(string language = "en")
    {
        SurveyWorld world;
        var email = $"p42.{Guid.NewGuid():N}@example.org";
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db, language);
            db.ContactDetails.Add(new ContactDetails { ParticipantId = world.Participant.Id, StudyId = world.Study.Id, Email = email, UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Mail:Transport"] = "smtp", ["Mail:Smtp:Host"] = "127.0.0.1", ["Mail:Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
        });
        return (app, world, email);
    }

    /// <summary>The messages to one address, once at least <paramref name="count"/> arrived (the sink is shared by the class's tests).</summary>
    private async Task<List<MimeMessage>> ToAsync(string email, int count)
    {
        List<MimeMessage> To() => [.. sink.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address == email))];
        await Poll.UntilAsync(() => To().Count >= count, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
        return To();
    }

    [GeneratedRegex(@"/copy/(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex CopyLink();
}
