using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Interviews.Booking;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews.Booking;

/// <summary>
/// The interview world with booking on: a trainee whose interview window runs from 16 February to
/// 29 March 2028 (Warsaw), an assigned researcher as interviewer, the clock on Sunday 20 February 2028, 09:00;
/// the study sends email every day from 08:00 to 20:00, up to five a day per participant.
/// </summary>
internal static class BookingWorld
{
    public static readonly DateTimeOffset Now = StudyBuilder.Warsaw(2028, 2, 20, 9, 0);

    public static async Task<(InterviewWorld World, InterviewTask Task, StaffUser Interviewer, Participant Participant)> CreateAsync(
        DatabaseFixture database, string code, string language = "en")
    {
        var world = await InterviewWorld.CreateAsync(database, Now);
        world.Interview.InterviewBooking = true;
        // Sending on every day and up to five emails a day, so that the tests of booking itself are not
        // held by the study's sending rules; the tests of those rules (BookingMailGateTests) set their own.
        await world.Db.SaveChangesAsync();
        await world.Db.Studies.Where(s => s.Id == world.Study.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.SendDays, new[] { 1, 2, 3, 4, 5, 6, 7 }).SetProperty(x => x.MaxEmailsPerParticipantPerDay, 5));
        var participant = await new StudyBuilder(world.Db).ParticipantAsync(world.Study, code, new DateOnly(2027, 1, 10),
            new Dictionary<string, DateOnly> { ["course_end"] = new DateOnly(2027, 3, 1) }, language: language, firstName: "Anna");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var interviewer = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        await world.Db.InterviewTasks.Where(t => t.ParticipantId == participant.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.InterviewerId, interviewer.Id));
        var task = (await world.TasksAsync()).Single(t => t.ParticipantId == participant.Id);
        return (world, task, interviewer, participant);
    }

    /// <summary>A slot stored directly (the console's validation is tested on its own).</summary>
    public static async Task<InterviewSlot> SlotAsync(InterviewWorld world, InterviewTask task, int interviewerId, DateTimeOffset start, int minutes = 60,
        string mode = InterviewMode.Video, bool booked = false)
    {
        var slot = new InterviewSlot
        {
            InterviewTaskId = task.Id, InterviewerId = interviewerId, StartsAt = start.UtcDateTime, EndsAt = start.UtcDateTime.AddMinutes(minutes),
            Mode = mode, CreatedAt = world.Clock.GetUtcNow().UtcDateTime, BookedAt = booked ? world.Clock.GetUtcNow().UtcDateTime : null,
        };
        world.Db.InterviewSlots.Add(slot);
        await world.Db.SaveChangesAsync();
        return slot;
    }

    public static BookingMailJob Job(InterviewWorld world, SmtpSink sink, MailOptions? mail = null) =>
        new(world.DataSource, new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) }),
            Options.Create(new PublicLinkOptions { PublicBaseUrl = "https://study.example.org" }), Options.Create(mail ?? new MailOptions()), world.Clock,
            NullLogger<BookingMailJob>.Instance);
}
