using Hangfire;
using Hangfire.PostgreSql;

namespace RecoveryStudy.Web.Jobs;

/// <summary>
/// Hangfire with its storage in the same PostgreSQL, in its own schema. Hangfire runs a job at
/// least once: the jobs themselves are idempotent; Hangfire only triggers them.
/// </summary>
public static class JobsHosting
{
    public const string Schema = "hangfire";

    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration[Hosting.DatabaseHosting.ConnectionStringKey]!;
        // Registered before the job server, so it stops after it (hosted services stop in reverse order).
        builder.Services.AddHostedService<RunningHostsLogProvider.Registration>();
        builder.Services.AddHangfire(config => config
            .UseLogProvider(new RunningHostsLogProvider())
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = Schema,
                    PrepareSchemaIfNecessary = true,
                    // Our jobs move one batch and finish in seconds; a job still invisible after
                    // this long is presumed dead and handed to another worker.
                    InvisibilityTimeout = TimeSpan.FromMinutes(5),
                    QueuePollInterval = TimeSpan.FromSeconds(2),
                    // A lock is a row: one whose holder lost its session (a database restart) stays until
                    // this much older and blocks every node's recurring schedules till then (default 10 minutes;
                    // seen in the database-restart fault test). Our locks are held for a scheduling pass.
                    DistributedLockTimeout = builder.Configuration.GetValue("Jobs:LockTimeout", TimeSpan.FromMinutes(1)),
                }));

        if (builder.Configuration.GetValue("Jobs:Enabled", true))
        {
            builder.Services.AddHangfireServer(options =>
            {
                options.WorkerCount = builder.Configuration.GetValue("Jobs:Workers", 4);
                // Also how often recurring schedules are looked at: Jobs:PollSeconds lowers it for schedules in seconds.
                options.SchedulePollingInterval = TimeSpan.FromSeconds(builder.Configuration.GetValue("Jobs:PollSeconds", 5));
                // /health counts a server alive for 2 minutes after its last heartbeat; a short
                // interval lets it report again soon after a database outage ends.
                options.HeartbeatInterval = TimeSpan.FromSeconds(10);
            });
            builder.Services.AddHostedService<RecurringJobs>();
        }
        return builder;
    }
}
