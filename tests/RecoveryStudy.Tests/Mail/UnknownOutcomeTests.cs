using System.Globalization;
using System.Net;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// The relay drops the connection after the message body: nobody knows whether it arrived. The
/// message is sent again (a lost email is worse than a duplicate), the unknown outcome is counted,
/// and the count is shown on /health and in the console's outbox.
/// </summary>
public sealed class UnknownOutcomeTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task A_connection_dropped_after_data_is_retried_counted_and_shown_on_health_and_in_the_outbox()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("P-drop");
        sink.DropAfterData(1);

        Assert.Equal(0, await world.Jobs.TickAsync());
        var message = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Invitation);
        Assert.True(message.Status == MessageStatus.Queued, $"{message.Status} after {message.Attempts} attempt(s): {message.LastError}");
        Assert.Equal(1, message.Attempts);
        Assert.Equal(1, message.UnknownOutcomes);
        Assert.True(message.NextAttemptAt > world.Clock.GetUtcNow().UtcDateTime, "retried after the backoff, not at once");

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await world.Jobs.TickAsync());
        message = Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Invitation);
        Assert.Equal(MessageStatus.Sent, message.Status);
        Assert.Equal(2, message.Attempts);
        Assert.Equal(1, message.UnknownOutcomes);
        // The sink kept the body it dropped the connection after: the participant got it twice, which is what the count warns of.
        Assert.Equal(2, sink.Messages().Count(m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email)));

        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var (status, mail) = await MailHealth.ReadAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("1 unknown outcome(s)", mail.Description, StringComparison.Ordinal);

        var outbox = await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}/outbox", UriKind.Relative));
        Assert.Contains("<span class=\"figure\" id=\"count-unknown\">1</span>", outbox, StringComparison.Ordinal);
        var row = outbox[outbox.IndexOf($"data-message=\"{message.Id.ToString(CultureInfo.InvariantCulture)}\"", StringComparison.Ordinal)..];
        Assert.Contains("Outcome unknown 1 time(s): may have arrived more than once.", row[..row.IndexOf("</tr>", StringComparison.Ordinal)], StringComparison.Ordinal);
    }
}
