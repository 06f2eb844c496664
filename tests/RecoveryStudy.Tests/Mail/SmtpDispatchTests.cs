using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

public sealed class SmtpDispatchTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private List<MimeMessage> ReceivedBy(string address) =>
        sink.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address == address)).ToList();

    [Fact]
    public async Task Invitation_email_has_both_parts_the_link_the_unsubscribe_headers_and_a_stable_message_id()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("P-1", name: "Anna Nowak");
        Assert.Equal(1, await world.Jobs.TickAsync());

        var email = Assert.Single(ReceivedBy(participant.Contact!.Email));
        var message = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Invitation);
        Assert.Equal(MessageStatus.Sent, message.Status);
        Assert.Equal($"rs.{message.Id}@example.org", email.MessageId);
        Assert.Equal(email.MessageId, message.SmtpMessageId);
        Assert.Equal("Follow-up post: your questionnaire", email.Subject);
        Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);
        var unsubscribe = email.Headers["List-Unsubscribe"] ?? "";
        Assert.Matches("^<https://study\\.example\\.org/u/[A-Za-z0-9_-]{43}>$", unsubscribe);

        Assert.NotNull(email.TextBody);
        Assert.NotNull(email.HtmlBody);
        Assert.StartsWith("Hello Anna,", email.TextBody);
        var link = System.Text.RegularExpressions.Regex.Match(email.TextBody, "https://study\\.example\\.org/s/([A-Za-z0-9_-]{43})");
        Assert.True(link.Success);
        Assert.Contains($"<a href=\"{link.Value}\"", email.HtmlBody);
        Assert.Contains("Open until 15 March 2027 (15 days left).", email.TextBody);
        Assert.DoesNotContain("{", email.TextBody);

        // Only the hashes of the two links are stored, for this invitation.
        var hash = LinkTokens.Hash(link.Groups[1].Value)!;
        var token = await world.Db.AccessTokens.SingleAsync(t => t.Hash == hash);
        Assert.Equal(TokenPurpose.Survey, token.Purpose);
        Assert.Equal(message.InvitationId, token.InvitationId);
        var unsubscribeHash = LinkTokens.Hash(unsubscribe[^44..^1])!;
        Assert.Equal(TokenPurpose.Unsubscribe, (await world.Db.AccessTokens.SingleAsync(t => t.Hash == unsubscribeHash)).Purpose);

        var invitation = await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.Id == message.InvitationId);
        Assert.Equal(InvitationStatus.Sent, invitation.Status);
        Assert.Equal(world.Clock.GetUtcNow().UtcDateTime, invitation.SentAt);
    }

    [Theory]
    [InlineData("pl", "ankieta – zażółć gęślą jaźń", "Dzień dobry,", "Ankieta jest otwarta do 15 marca 2027 (pozostało dni: 15). Zażółć gęślą jaźń.")]
    [InlineData("da", "spørgeskema – æøå ÆØÅ", "Hej Anna,", "Åben til 15. marts 2027 (15 dage tilbage). Rødgrød med fløde.")]
    public async Task Polish_and_Danish_letters_arrive_intact_in_subject_and_both_parts(string language, string subject, string greeting, string line)
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("P-" + language, language);
        await world.Jobs.TickAsync();

        var email = Assert.Single(ReceivedBy(participant.Contact!.Email));
        Assert.EndsWith(subject, email.Subject);
        // Encoded on the wire (RFC 2047 subject, UTF-8 quoted-printable parts), decoded exactly.
        var raw = File.ReadAllBytes(Directory.GetFiles(sink.Folder, "*.eml").Single(f => File.ReadAllText(f).Contains(participant.Contact.Email)));
        Assert.All(raw, b => Assert.True(b < 128, "every byte on the wire is 7-bit"));
        var text = Encoding.ASCII.GetString(raw);
        var unfolded = System.Text.RegularExpressions.Regex.Replace(text, "\r?\n[ \t]+", " ");
        Assert.Matches("(?im)^Subject: .*=\\?utf-8\\?[bq]\\?", unfolded);
        Assert.Contains("charset=utf-8", text, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith(greeting, email.TextBody);
        Assert.Contains(line, email.TextBody);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(line), email.HtmlBody);
    }

    [Fact]
    public async Task A_451_is_retried_with_backoff_and_the_email_arrives_once()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("P-451");
        sink.FailNextData((451, "4.3.0 Try again later"));
        Assert.Equal(0, await world.Jobs.TickAsync());
        var message = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Invitation);
        Assert.Equal(MessageStatus.Queued, message.Status);
        Assert.Equal(1, message.Attempts);
        Assert.StartsWith("451", message.LastError ?? "");
        Assert.Equal(world.Clock.GetUtcNow().UtcDateTime.AddMinutes(1), message.NextAttemptAt);

        // Not before the backoff ran out.
        world.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await world.Jobs.TickAsync());
        world.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await world.Jobs.TickAsync());
        Assert.Single(ReceivedBy(participant.Contact!.Email));
        message = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Invitation);
        Assert.Equal(MessageStatus.Sent, message.Status);
        Assert.Equal(2, message.Attempts);
    }

    [Fact]
    public async Task A_550_for_the_recipient_flags_the_participant_undeliverable_and_is_never_retried()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("P-550");
        sink.RejectRecipient(participant.Contact!.Email, 550, "5.1.1 <" + participant.Contact.Email + ">: No such user");
        await world.Jobs.TickAsync();

        var message = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Invitation);
        Assert.Equal(MessageStatus.Failed, message.Status);
        Assert.DoesNotContain("@", message.LastError!.Replace("[address]", ""));
        var stored = await world.Db.Participants.AsNoTracking().SingleAsync(p => p.Id == participant.Id);
        Assert.NotNull(stored.UndeliverableAt);
        Assert.Equal(InvitationStatus.Undeliverable, (await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == participant.Id)).Status);

        // Days later, when the reminder would have been due: nothing is sent, nothing is queued.
        world.Clock.Advance(TimeSpan.FromDays(3));
        await world.Jobs.TickAsync();
        Assert.Empty(ReceivedBy(participant.Contact.Email));
        Assert.DoesNotContain(await world.MessagesAsync(), m => m.Status is MessageStatus.Queued or MessageStatus.Sending);
        Assert.All(await world.MessagesAsync(), m => Assert.True(m.Attempts <= 1));
    }

    [Fact]
    public async Task While_the_relay_is_down_nothing_is_lost_and_everything_goes_out_once_it_is_back()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var codes = Enumerable.Range(1, 5).Select(i => $"P-down{i}").ToList();
        foreach (var code in codes)
        {
            await world.ParticipantAsync(code);
        }
        var settings = new SmtpSettings { Host = "127.0.0.1", Port = FreePort(), Security = "None", Timeout = TimeSpan.FromSeconds(5) };
        var down = new SmtpMailTransport(settings);
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            var result = await world.Jobs.Dispatcher(down).DispatchBatchAsync(CancellationToken.None);
            Assert.True(result.RelayUnreachable || result.Due == 0);
            world.Clock.Advance(TimeSpan.FromMinutes(5));
        }
        Assert.All(await world.MessagesAsync(), m => Assert.Equal(MessageStatus.Queued, m.Status));
        var status = await MailStatus.ReadAsync(world.DataSource, down.RelayName, world.Clock.GetUtcNow().UtcDateTime, CancellationToken.None);
        Assert.NotNull(status.UnreachableSince);

        Assert.Equal(5, await world.Jobs.TickAsync());
        foreach (var code in codes)
        {
            Assert.Single(ReceivedBy($"{code.ToLowerInvariant()}.{world.Study.Code}@example.org"));
        }
        Assert.All((await world.MessagesAsync()).Where(m => m.Kind == MessageKind.Invitation), m => Assert.Equal(MessageStatus.Sent, m.Status));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
