using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

/// <summary>An address that got into the database without the enrollment checks fails its own message, never its batch.</summary>
public sealed class BadAddressDispatchTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private List<MimeMessage> ReceivedBy(string address) =>
        sink.Messages().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    [Theory]
    [InlineData("colon", "colon:x@example.org", "is not a valid email address")]
    [InlineData("paren", "paren(comment)@example.org", "holds a comment in parentheses")]
    public async Task An_address_forced_into_the_database_fails_alone_and_the_rest_of_its_batch_is_sent_on_the_first_run(string name, string bad, string why)
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participants = new List<Participants.Participant>();
        for (var i = 1; i <= 5; i++)
        {
            participants.Add(await world.ParticipantAsync($"P-{name}{i}"));
        }
        var victim = participants[1];
        await world.Db.Database.ExecuteSqlAsync($"UPDATE contact_details SET email = {bad} WHERE participant_id = {victim.Id}");

        Assert.Equal(4, await world.Jobs.TickAsync());

        foreach (var other in participants.Where(p => p.Id != victim.Id))
        {
            Assert.Single(ReceivedBy(other.Contact!.Email));
        }
        Assert.Empty(ReceivedBy(bad));
        Assert.Empty(ReceivedBy(name + "@example.org"));
        var messages = await world.MessagesAsync();
        var failed = Assert.Single(messages, m => m.Status == MessageStatus.Failed);
        Assert.Equal(victim.Id, (await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.Id == failed.InvitationId)).ParticipantId);
        Assert.StartsWith("not sent: the address ", failed.LastError);
        Assert.Contains(why, failed.LastError);
        Assert.DoesNotContain(bad[..bad.IndexOf('@', StringComparison.Ordinal)], failed.LastError!, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull((await world.Db.Participants.AsNoTracking().SingleAsync(p => p.Id == victim.Id)).UndeliverableAt);
        Assert.DoesNotContain(messages, m => m.Status is MessageStatus.Queued or MessageStatus.Sending && m.Kind == MessageKind.Invitation);

        // The next runs send nothing more and leave nothing claimed.
        world.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(0, await world.Jobs.TickAsync());
        Assert.Equal(4, sink.Messages().Count(m => participants.Any(p => m.To.Mailboxes.Any(b => b.Address == p.Contact!.Email))));
    }

    [Fact]
    public async Task An_email_that_cannot_be_composed_fails_alone_without_flagging_its_participant()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("P-compose");
        // A reply-to address the composer cannot parse, written past the protocol's checks.
        await world.Db.Database.ExecuteSqlAsync($"UPDATE studies SET contact_email = {"colon:x@example.org"} WHERE id = {world.Study.Id}");

        Assert.Equal(0, await world.Jobs.TickAsync());

        var message = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Invitation);
        Assert.Equal(MessageStatus.Failed, message.Status);
        Assert.StartsWith("not sent: the email could not be composed (ParseException", message.LastError);
        Assert.DoesNotContain(participant.Contact!.Email, message.LastError!, StringComparison.OrdinalIgnoreCase);
        Assert.Null((await world.Db.Participants.AsNoTracking().SingleAsync(p => p.Id == participant.Id)).UndeliverableAt);
    }
}
