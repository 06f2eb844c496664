using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

/// <summary>A relay's refusal quotes the recipient in whatever form it likes; the address never reaches a message row or a log.</summary>
public sealed class RelayReplyRedactionTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task A_550_quoting_the_recipient_in_another_case_or_by_its_mailbox_name_alone_is_stored_without_it()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var local = "o'neil.r9-" + world.Study.Code;
        var participant = await world.ParticipantAsync("P-R9", email: local + "@example.org");
        sink.RejectRecipient(participant.Contact!.Email, 550,
            $"5.1.1 <{participant.Contact.Email.ToUpperInvariant()}>: mailbox unavailable; user {local} unknown, see {participant.Contact.Email}");

        await world.Jobs.TickAsync();

        var message = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Invitation);
        Assert.Equal(MessageStatus.Failed, message.Status);
        Assert.StartsWith("550", message.LastError);
        Assert.Contains("mailbox unavailable", message.LastError);
        Assert.DoesNotContain("neil", message.LastError!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@", message.LastError!);
    }

    [Theory]
    [InlineData("550 5.1.1 <anna@[10.0.0.1]>: no such user", "anna")]
    [InlineData("550 5.1.1 recipient o'neil@example.org refused", "o'")]
    public void Anything_shaped_like_an_address_is_redacted_from_stored_and_logged_replies(string reply, string part)
    {
        var redacted = DispatchOutcomes.Redact(reply);

        Assert.DoesNotContain(part, redacted, StringComparison.Ordinal);
        Assert.StartsWith("550 5.1.1 ", redacted);
    }
}
