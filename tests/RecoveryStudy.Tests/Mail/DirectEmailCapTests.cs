using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

/// <summary>The outbox's daily cap counts the emails sent outside it (booking emails, logged in direct_emails).</summary>
public sealed class DirectEmailCapTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task A_booking_email_sent_today_holds_a_questionnaire_invitation_to_the_next_day_under_a_cap_of_one()
    {
        var mail = new MailOptions { RatePerMinute = 0 };
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], mail: mail);
        var booked = await world.ParticipantAsync("DC-1");
        await world.ParticipantAsync("DC-2");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        // The booking job sent DC-1 a booking invitation an hour ago (the study's cap is one email a day).
        world.Db.DirectEmails.Add(new DirectEmail { ParticipantId = booked.Id, Kind = "invite", Reference = 1, ClaimedAt = world.Clock.GetUtcNow().UtcDateTime.AddHours(-1) });
        await world.Db.SaveChangesAsync();

        await using var node = MailNode.Create(database, sink, world.Clock, mail);
        Assert.Equal(1, await node.DrainAsync());
        Assert.DoesNotContain(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == $"dc-1.{world.Study.Code}@example.org".ToLowerInvariant()));
        Assert.Contains(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == $"dc-2.{world.Study.Code}@example.org".ToLowerInvariant()));
        var held = Assert.Single(await world.MessagesAsync(), m => m.Status == MessageStatus.Queued);
        // Tuesday 09:00 in Warsaw, the study's send time.
        Assert.Equal(StudyBuilder.Warsaw(2027, 3, 2, 9, 0).UtcDateTime, held.NextAttemptAt);
    }
}
