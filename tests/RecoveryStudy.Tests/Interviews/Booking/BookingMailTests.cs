using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews.Booking;

/// <summary>The booking emails: the invitation once a time is offered, in the participant's language, once; never to a withdrawn participant; the confirmation once per booking.</summary>
public sealed partial class BookingMailTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task The_participant_is_invited_to_book_once_in_their_language_after_a_time_is_offered_and_only_the_links_hash_is_stored()
    {
        var (world, task, interviewer, participant) = await BookingWorld.CreateAsync(database, "P-bk-mail-1", language: "pl");
        await using var _ = world;
        var job = BookingWorld.Job(world, sink);
        var address = "p-bk-mail-1@example.org";

        // Nothing offered yet: nothing to book, no email.
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 30));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        var message = Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == address));
        Assert.Contains("umów termin rozmowy", message.Subject, StringComparison.Ordinal);
        var token = BookingLink().Match(message.TextBody ?? "").Groups[1].Value;
        Assert.Equal(43, token.Length);
        var stored = await world.Db.BookingLinks.AsNoTracking().SingleAsync(l => l.InterviewTaskId == task.Id);
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(token)), stored.Hash);
        Assert.DoesNotContain(participant.Code, message.TextBody ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_withdrawn_or_opted_out_participant_is_not_invited()
    {
        var (world, task, interviewer, participant) = await BookingWorld.CreateAsync(database, "P-bk-mail-2");
        await using var _ = world;
        await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 12, 0));
        await world.Db.Participants.Where(p => p.Id == participant.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.OptedOutAt, DateTime.UtcNow));

        Assert.Equal(0, await BookingWorld.Job(world, sink).RunAsync(CancellationToken.None));
        Assert.False(await world.Db.BookingLinks.AnyAsync(l => l.InterviewTaskId == task.Id));

        await world.Db.Participants.Where(p => p.Id == participant.Id).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.OptedOutAt, (DateTime?)null).SetProperty(p => p.Status, ParticipantStatus.Withdrawn));
        Assert.Equal(0, await BookingWorld.Job(world, sink).RunAsync(CancellationToken.None));
        Assert.DoesNotContain(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == "p-bk-mail-2@example.org"));
    }

    [Fact]
    public async Task An_invitation_the_relay_refused_for_now_goes_out_on_the_next_run_and_a_booking_is_confirmed_once_in_the_participants_zone()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-mail-3", language: "da");
        await using var _ = world;
        var slot = await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 25, 14, 0), minutes: 45, mode: "phone");
        var job = BookingWorld.Job(world, sink);
        sink.FailNextData((451, "4.3.0 try again later"));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        Assert.False(await world.Db.BookingLinks.AnyAsync(l => l.InterviewTaskId == task.Id));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));

        await world.Db.InterviewSlots.Where(s => s.Id == slot.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.BookedAt, DateTime.UtcNow));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        var mine = sink.Messages().Where(m => m.To.Mailboxes.Any(a => a.Address == "p-bk-mail-3@example.org")).ToList();
        Assert.Equal(2, mine.Count);
        var confirmation = mine.Single(m => (m.Subject ?? "").Contains("bekræftet", StringComparison.Ordinal));
        Assert.Contains("fredag den 25. februar 2028 kl. 14:00 (Europe/Warsaw), cirka 45 minutter, over telefonen", confirmation.TextBody ?? "", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"https://study\.example\.org/b/([A-Za-z0-9_-]+)")]
    private static partial Regex BookingLink();
}
