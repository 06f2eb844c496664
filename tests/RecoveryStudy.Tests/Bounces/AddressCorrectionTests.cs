using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Bounces;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Bounces;

/// <summary>Correcting a bounced address (as the contact page does) sends the open invitation again with a fresh link and brings its reminder back.</summary>
public sealed partial class AddressCorrectionTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [GeneratedRegex("https://study\\.example\\.org/s/([A-Za-z0-9_-]{43})")]
    private static partial Regex SurveyLink();

    [Fact]
    public async Task A_corrected_address_gets_the_open_invitation_again_with_a_new_link_and_the_old_link_stops_working()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: VerpEnvelopeTests.Options);
        var participant = await world.ParticipantAsync("C-1", email: "c-1.wrong@example.org");
        await world.Jobs.TickAsync();
        var first = Assert.Single(sink.Messages(), m => m.To.Mailboxes.Single().Address == "c-1.wrong@example.org");
        var oldToken = SurveyLink().Match(first.TextBody!).Groups[1].Value;
        var invitationMessage = Assert.Single(await world.MessagesAsync(), m => m.SmtpMessageId == first.MessageId);

        await using (var connection = await world.DataSource.OpenConnectionAsync())
        {
            var recorded = await BounceRecorder.RecordAsync(connection, new BounceReading(BounceKind.Hard, invitationMessage.Id, "5.1.1", null),
                "correction-test-" + Guid.NewGuid().ToString("N"), 3, world.Clock.GetUtcNow().UtcDateTime);
            Assert.True(recorded.Undeliverable);
        }
        Assert.Equal(0, await world.Jobs.TickAsync());

        // The next day (the study sends at most one email per participant per day), the researcher corrects the address,
        // as the contact page does on saving a changed address.
        world.Clock.Advance(TimeSpan.FromDays(1));
        await using (var db = DatabaseSetup.CreateContext(database.ConnectionString))
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var p = await db.Participants.Include(x => x.Contact).SingleAsync(x => x.Id == participant.Id);
            p.Contact!.Email = "c-1@example.org";
            Assert.Equal(1, await AddressCorrection.ReplanAsync(db, p.Id, world.Clock.GetUtcNow().UtcDateTime, CancellationToken.None));
            p.UndeliverableAt = null;
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await world.Jobs.TickAsync());
        var again = Assert.Single(sink.Messages(), m => m.To.Mailboxes.Single().Address == "c-1@example.org");
        var newToken = SurveyLink().Match(again.TextBody!).Groups[1].Value;
        Assert.NotEqual(oldToken, newToken);
        var tokens = await world.Db.AccessTokens.AsNoTracking().Where(t => t.InvitationId == invitationMessage.InvitationId && t.Purpose == TokenPurpose.Survey).ToListAsync();
        Assert.NotNull(Assert.Single(tokens, t => t.Hash.SequenceEqual(LinkTokens.Hash(oldToken)!)).RevokedAt);
        Assert.Null(Assert.Single(tokens, t => t.Hash.SequenceEqual(LinkTokens.Hash(newToken)!)).RevokedAt);
        var invitation = await world.Db.Invitations.AsNoTracking().SingleAsync(i => i.Id == invitationMessage.InvitationId);
        Assert.Equal(InvitationStatus.Sent, invitation.Status);
        var reminder = Assert.Single(await world.MessagesAsync(), m => m.InvitationId == invitation.Id && m.Kind == MessageKind.Reminder);
        Assert.Equal(MessageStatus.Queued, reminder.Status);
    }
}
