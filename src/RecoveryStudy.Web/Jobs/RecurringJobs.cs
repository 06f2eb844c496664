using Hangfire;
using RecoveryStudy.Mail;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Web.Jobs;

/// <summary>
/// Every recurring schedule of the platform, declared here and nowhere else. Hangfire only
/// triggers: each job is idempotent and safe on several nodes at once (see the job classes).
/// The plan and dispatch schedules may be set (Jobs:PlanCron, Jobs:DispatchCron; six fields for
/// seconds), so that a fault test's nodes act in seconds rather than at the next minute.
/// </summary>
internal sealed class RecurringJobs(IRecurringJobManager jobs, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        // Plan first: new or changed participants become invitations and queued messages.
        jobs.AddOrUpdate<PlanJob>("plan", job => job.RunAsync(CancellationToken.None), configuration["Jobs:PlanCron"] ?? Cron.Minutely(), utc);
        // Send what is due; each run keeps going for up to Mail:RunBudget, so sending is near continuous.
        jobs.AddOrUpdate<DispatchJob>("dispatch", job => job.RunAsync(CancellationToken.None), configuration["Jobs:DispatchCron"] ?? Cron.Minutely(), utc);
        // Close invitations whose window ended (cancels what was still queued for them).
        jobs.AddOrUpdate<ExpireJob>("expire", job => job.RunAsync(CancellationToken.None), "*/5 * * * *", utc);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
