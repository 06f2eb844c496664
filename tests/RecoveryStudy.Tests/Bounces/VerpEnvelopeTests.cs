using MimeKit;
using RecoveryStudy.Bounces;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Bounces;

public sealed class VerpEnvelopeTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    public static readonly BounceOptions Options = new() { Address = "bounces@mail.example.org", Secret = new string('k', 40) };

    [Fact]
    public async Task Each_email_goes_out_with_its_own_signed_envelope_sender_that_maps_back_to_its_message()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: Options);
        var first = await world.ParticipantAsync("V-1");
        var second = await world.ParticipantAsync("V-2");
        Assert.Equal(2, await world.Jobs.TickAsync());

        var verp = VerpAddresses.From(Options)!;
        var messages = await world.MessagesAsync();
        foreach (var participant in new[] { first, second })
        {
            var (email, mailFrom) = Assert.Single(sink.MessagesWithEnvelopeSender(), m => m.Message.To.Mailboxes.Single().Address == participant.Contact!.Email);
            var message = Assert.Single(messages, m => m.SmtpMessageId == email.MessageId);
            Assert.Matches($"^bounces\\+{message.Id}\\.[0-9a-f]{{16}}@mail\\.example\\.org$", mailFrom);
            Assert.Equal(VerpCheck.Valid, verp.Check(mailFrom, out var named));
            Assert.Equal(message.Id, named);
            // The header sender stays the study's own address.
            Assert.Equal("study@example.org", email.From.Mailboxes.Single().Address);
        }
    }

    [Fact]
    public async Task Without_a_bounce_address_the_envelope_sender_is_the_from_address()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("V-3");
        Assert.Equal(1, await world.Jobs.TickAsync());

        var (_, mailFrom) = Assert.Single(sink.MessagesWithEnvelopeSender(), m => m.Message.To.Mailboxes.Single().Address == participant.Contact!.Email);
        Assert.Equal("study@example.org", mailFrom);
    }

    [Fact]
    public void A_changed_message_id_a_changed_hmac_or_another_key_is_forged_and_another_address_is_not_ours()
    {
        var verp = VerpAddresses.From(Options)!;
        var address = verp.For(4711);
        Assert.Equal(VerpCheck.Valid, verp.Check("<" + address.ToUpperInvariant() + ">", out var id));
        Assert.Equal(4711, id);

        var hmac = address[(address.IndexOf('.', StringComparison.Ordinal) + 1)..address.IndexOf('@', StringComparison.Ordinal)];
        Assert.Equal(VerpCheck.Forged, verp.Check(address.Replace("+4711.", "+4712.", StringComparison.Ordinal), out _));
        Assert.Equal(VerpCheck.Forged, verp.Check(address.Replace(hmac, new string('0', 16), StringComparison.Ordinal), out _));
        Assert.Equal(VerpCheck.Forged, verp.Check(address.Replace(hmac, hmac[..15], StringComparison.Ordinal), out _));
        Assert.Equal(VerpCheck.Forged, new VerpAddresses(Options.Address, new string('x', 40)).Check(address, out _));
        Assert.Equal(VerpCheck.Forged, verp.Check("bounces+4711@mail.example.org", out _));
        Assert.Equal(VerpCheck.NotOurs, verp.Check(address.Replace("mail.example.org", "example.net", StringComparison.Ordinal), out _));
        Assert.Equal(VerpCheck.NotOurs, verp.Check("bounces@mail.example.org", out _));
        Assert.Equal(VerpCheck.NotOurs, verp.Check("", out _));
    }

    [Fact]
    public async Task A_pickup_file_carries_the_envelope_sender_as_return_path()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rs-pickup-verp-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var verp = VerpAddresses.From(Options)!;
            await using var session = await new PickupMailTransport(folder, verp.EnvelopeSenderFor).OpenAsync(CancellationToken.None);
            using var email = new MimeMessage { MessageId = EmailComposer.MessageIdFor(99, "example.org"), Subject = "x" };
            email.To.Add(new MailboxAddress("", "a@example.org"));
            email.Body = new TextPart("plain") { Text = "hello" };

            Assert.Equal(SendResult.Sent, (await session.SendAsync(email, CancellationToken.None)).Result);

            var written = MimeMessage.Load(Path.Combine(folder, "rs.99@example.org.eml"));
            Assert.Equal("<" + verp.For(99) + ">", written.Headers[HeaderId.ReturnPath]);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
