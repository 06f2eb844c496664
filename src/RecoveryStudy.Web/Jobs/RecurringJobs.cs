using System.Globalization;
using Hangfire;
using Microsoft.Extensions.Options;
using RecoveryStudy.Bounces;
using RecoveryStudy.Mail;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Web.Jobs;

/// <summary>
/// Every recurring schedule of the platform, declared here and nowhere else. Hangfire only
/// triggers: each job is idempotent and safe on several nodes at once (see the job classes).
/// The plan and dispatch schedules may be set (Jobs:PlanCron, Jobs:DispatchCron; six fields for
/// seconds), so that a fault test's nodes act in seconds rather than at the next minute.
/// </summary>
internal sealed class RecurringJobs(IRecurringJobManager jobs, IOptions<MailOptions> mail, IOptions<BounceOptions> bounces,
    IConfiguration configuration) : IHostedService
{
    /// <summary>
    /// Every minute, at second (slot - 1) x 60 / slots: the runs of the N dispatch jobs start spread
    /// over the minute, so while one waits for its next tick (a run lasts Mail:RunBudget, 45 s) another
    /// sends, and the shared quota is used all minute (bench/README.md, "Relay quota across three nodes").
    /// </summary>
    internal static string StaggeredMinutely(int slot, int slots) =>
        string.Create(CultureInfo.InvariantCulture, $"{(slot - 1) * 60 / slots} * * * * *");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        // Plan first: new or changed participants become invitations and queued messages.
        jobs.AddOrUpdate<PlanJob>("plan", job => job.RunAsync(CancellationToken.None), configuration["Jobs:PlanCron"] ?? Cron.Minutely(), utc);
        // Send what is due; each run keeps going for up to Mail:RunBudget, so sending is near continuous.
        var dispatchCron = configuration["Jobs:DispatchCron"] ?? Cron.Minutely();
        // One job per connection slot of the relay (Mail:ConnectionsPerRelay): Hangfire hands each to
        // whichever node's worker is free, so several nodes share the sending; the slot each run
        // leases in the database, not the job, bounds the connections (docs/design.md).
        jobs.AddOrUpdate<DispatchJob>("dispatch", job => job.RunAsync(CancellationToken.None), dispatchCron, utc);
        for (var slot = 2; slot <= MailOptions.MaxConnectionsPerRelay; slot++)
        {
            if (slot <= mail.Value.ConnectionsPerRelay)
            {
                jobs.AddOrUpdate<DispatchJob>($"dispatch-{slot}", job => job.RunAsync(CancellationToken.None),
                    configuration["Jobs:DispatchCron"] is null ? StaggeredMinutely(slot, mail.Value.ConnectionsPerRelay) : dispatchCron, utc);
            }
            else
            {
                jobs.RemoveIfExists($"dispatch-{slot}");
            }
        }
        // Close invitations whose window ended (cancels what was still queued for them).
        jobs.AddOrUpdate<ExpireJob>("expire", job => job.RunAsync(CancellationToken.None), "*/5 * * * *", utc);
        // Remind interviewers of open interview tasks before their window closes (each task once).
        jobs.AddOrUpdate<Interviews.InterviewerReminderJob>("interviewer-reminders", job => job.RunAsync(CancellationToken.None), "*/15 * * * *", utc);
        // Erase contact details a study keeps no longer (contact_retention_months), warning its researchers first.
        jobs.AddOrUpdate<DataRights.ContactRetentionJob>("contact-retention", job => job.RunAsync(CancellationToken.None), "17 3 * * *", utc);
        // Invite participants of booking interview waves to book an offered time, and confirm each booking (each once).
        jobs.AddOrUpdate<Interviews.Booking.BookingMailJob>("interview-bookings", job => job.RunAsync(CancellationToken.None), Cron.Minutely(), utc);
        // Read the bounce mailbox (Bounces:Imap), when one is configured.
        if (bounces.Value.ReadsMailbox)
        {
            jobs.AddOrUpdate<BounceJob>("bounces", job => job.RunAsync(CancellationToken.None), bounces.Value.Cron, utc);
        }
        else
        {
            jobs.RemoveIfExists("bounces");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
