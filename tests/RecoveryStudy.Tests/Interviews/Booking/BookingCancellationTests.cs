using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Booking;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.Interviews.Booking;

/// <summary>
/// A booking cancelled by staff or by the withdrawal of its time: audited, refused to an analyst and
/// without the anti-forgery token, and each of the participant and the interviewer told once; nothing
/// to a participant who opted out before the email went.
/// </summary>
public sealed class BookingCancellationTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Staff_cancel_a_booking_audited_the_participant_and_the_interviewer_are_told_once_and_an_analyst_is_refused()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-cancel-1", language: "da");
        await using var _ = world;
        var slot = await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 30), booked: true);
        var analyst = await StaffSession.CreateUserAsync(world.Db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString, configure: b => b.Services.AddSingleton<TimeProvider>(world.Clock));
        var page = $"/studies/{world.Study.Id}/interviews/{task.Id}/cancel-booking";

        using (var refused = await StaffSession.SignInAsync(app, analyst.Email))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await refused.GetAsync(new Uri(page, UriKind.Relative))).StatusCode);
            using var empty = new FormUrlEncodedContent(new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.Forbidden, (await refused.PostAsync(new Uri(page, UriKind.Relative), empty)).StatusCode);
        }
        using var client = await StaffSession.SignInAsync(app, interviewer.Email);
        using (var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["Reason"] = "x" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri(page, UriKind.Relative), forged)).StatusCode);
        }
        var tooLong = await StaffSession.PostFormAsync(client, page, new() { ["Reason"] = new string('x', 501) });
        Assert.Contains("Reason: at most 500 characters; nothing was changed.", WebUtility.HtmlDecode(await tooLong.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.NotNull((await world.Db.InterviewSlots.AsNoTracking().SingleAsync(s => s.Id == slot.Id)).BookedAt);

        var done = await StaffSession.PostFormAsync(client, page, new() { ["Reason"] = "Interviewer ill" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Null((await world.Db.InterviewSlots.AsNoTracking().SingleAsync(s => s.Id == slot.Id)).BookedAt);
        await ConsoleActions.AssertAuditedAsync(world.Db, "interview.cancel_booking", task.Id);
        var cancellation = await world.Db.BookingCancellations.AsNoTracking().SingleAsync(c => c.InterviewTaskId == task.Id);
        Assert.Equal((BookingCancellationCause.Staff, "Interviewer ill"), (cancellation.Cause, cancellation.Reason));

        var job = BookingWorld.Job(world, sink);
        await job.RunAsync(CancellationToken.None);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await job.RunAsync(CancellationToken.None);
        var told = sink.Messages().Where(m => m.To.Mailboxes.Any(a => a.Address == "p-bk-cancel-1@example.org") && (m.Subject ?? "").Contains("aflyst", StringComparison.Ordinal)).ToList();
        var notice = Assert.Single(told);
        Assert.Contains("torsdag den 24. februar 2028 kl. 10:30 (Europe/Warsaw)", notice.TextBody ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("Interviewer ill", notice.TextBody ?? "", StringComparison.Ordinal);
        var toInterviewer = Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == interviewer.Email) && (m.Subject ?? "").StartsWith("Booking cancelled", StringComparison.Ordinal));
        Assert.Contains("by the study team", toInterviewer.TextBody ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Withdrawing_a_booked_time_tells_the_participant_once_in_their_language()
    {
        var (world, task, interviewer, _) = await BookingWorld.CreateAsync(database, "P-bk-cancel-2", language: "pl");
        await using var _ = world;
        var slot = await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 30), booked: true);
        await using var app = await TestApp.StartAsync(database.ConnectionString, configure: b => b.Services.AddSingleton<TimeProvider>(world.Clock));
        using var client = await StaffSession.SignInAsync(app, interviewer.Email);
        var page = $"/studies/{world.Study.Id}/interviews/{task.Id}/slots";

        var withdrawn = await StaffSession.PostFormAsync(client, page + "?handler=Withdraw", new() { ["SlotId"] = slot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, page);
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.False(await world.Db.InterviewSlots.AnyAsync(s => s.Id == slot.Id));
        var job = BookingWorld.Job(world, sink);
        await job.RunAsync(CancellationToken.None);
        await job.RunAsync(CancellationToken.None);

        var notice = Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == "p-bk-cancel-2@example.org") && (m.Subject ?? "").Contains("odwołany", StringComparison.Ordinal));
        Assert.Contains("czwartek, 24 lutego 2028, godz. 10:30 (Europe/Warsaw)", notice.TextBody ?? "", StringComparison.Ordinal);
        Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == interviewer.Email) && (m.TextBody ?? "").Contains("because the booked time was withdrawn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_participant_who_opts_out_between_the_cancellation_and_the_email_gets_nothing()
    {
        var (world, task, interviewer, participant) = await BookingWorld.CreateAsync(database, "P-bk-cancel-3");
        await using var _ = world;
        var slot = await BookingWorld.SlotAsync(world, task, interviewer.Id, StudyBuilder.Warsaw(2028, 2, 24, 10, 30), booked: true);
        world.Db.BookingCancellations.Add(BookingCancellation.Of(slot, BookingCancellationCause.Staff, world.Clock.GetUtcNow().UtcDateTime));
        await world.Db.SaveChangesAsync();
        await world.Db.Participants.Where(p => p.Id == participant.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.OptedOutAt, DateTime.UtcNow));

        await BookingWorld.Job(world, sink).RunAsync(CancellationToken.None);
        Assert.DoesNotContain(sink.Messages(), m => m.To.Mailboxes.Any(a => a.Address == "p-bk-cancel-3@example.org"));
        Assert.Null((await world.Db.BookingCancellations.AsNoTracking().SingleAsync(c => c.InterviewTaskId == task.Id)).ParticipantMailSentAt);
    }
}
