using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Bench;

/// <summary>
/// `quota` mode: three dispatcher nodes in this process (each with its own connection pool, dispatcher
/// and dispatch job; they share only the database) send to the SMTP sink under one relay quota, each
/// running the dispatch job once a minute as its Hangfire recurring job would (Mail:ConnectionsPerRelay
/// = 3, so all three send at once). Reports the most sends the sink accepted in any 60 seconds and the
/// share of the quota used while there was work, from the sink's own acceptance times.
/// </summary>
internal static class QuotaRun
{
    private const int Nodes = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 120;
        var budget = args.Length > 2 ? TimeSpan.FromSeconds(int.Parse(args[2], CultureInfo.InvariantCulture)) : new MailOptions().RunBudget;
        var mail = new MailOptions { RatePerMinute = rate, ConnectionsPerRelay = Nodes, RunBudget = budget };
        await using var world = await BenchWorld.StartAsync();
        // Real time, moved to Monday 1 March 2027 09:00 in Warsaw, when the seeded wave is due and sending is allowed.
        var clock = new ShiftedClock(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero) - DateTimeOffset.UtcNow);
        var due = rate * (minutes + 2);
        await SeedAsync(world.ConnectionString, due);
        await using (var planning = DatabaseSetup.CreateDataSource(world.ConnectionString))
        {
            var plan = new PlanJob(planning, clock, NullLogger<PlanJob>.Instance);
            while (await plan.RunAsync(CancellationToken.None) > 0)
            {
            }
        }
        Console.WriteLine($"quota {rate}/min, {Nodes} nodes, {minutes} minute ticks of a {budget.TotalSeconds:F0} s run budget, {due:N0} emails due");

        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = world.SmtpPort, Security = "None" });
        var links = Options.Create(new PublicLinkOptions { PublicBaseUrl = "https://study.example.org" });
        var started = DateTimeOffset.UtcNow;
        var sentBy = new int[Nodes];
        var nodes = Enumerable.Range(0, Nodes).Select(n => Task.Run(async () =>
        {
            await using var dataSource = DatabaseSetup.CreateDataSource(world.ConnectionString);
            for (var tick = 0; tick < minutes; tick++)
            {
                // Node n's job is the relay's slot n + 1: its minutely tick at the second RecurringJobs staggers it to.
                var at = started + TimeSpan.FromMinutes(tick) + TimeSpan.FromSeconds(n * 60 / Nodes) - DateTimeOffset.UtcNow;
                if (at > TimeSpan.Zero)
                {
                    await Task.Delay(at);
                }
                var dispatcher = new Dispatcher(dataSource, transport, Options.Create(mail), links, clock, NullLogger<Dispatcher>.Instance);
                var job = new DispatchJob(dispatcher, dataSource, Options.Create(mail), clock, NullLogger<DispatchJob>.Instance);
                var run = Stopwatch.StartNew();
                var sent = await job.RunAsync(CancellationToken.None);
                sentBy[n] += sent;
                // When each run ended and what it sent: a run that ends early shows here.
                Console.WriteLine($"  node {n}, minute {tick}: {sent} sent, ended after {run.Elapsed.TotalSeconds:F1} s");
            }
        })).ToList();
        await Task.WhenAll(nodes);
        var ended = started + TimeSpan.FromMinutes(minutes);

        var accepted = AcceptedAt(world.MailFolder).Where(t => t >= started).ToList();
        var busiest = accepted.Select((t, i) => accepted.Skip(i).TakeWhile(u => u < t.AddSeconds(60)).Count()).DefaultIfEmpty().Max();
        // Work was there for the whole run (more emails due than the quota allows): the share is of the quota over the run.
        var used = accepted.Count(t => t < ended) / (rate * (double)minutes);
        var perMinute = Enumerable.Range(0, minutes).Select(m => accepted.Count(t => t >= started.AddMinutes(m) && t < started.AddMinutes(m + 1)));
        Console.WriteLine($"sent {accepted.Count:N0} ({string.Join(", ", sentBy)} by node); per clock minute of the run: {string.Join(", ", perMinute)}");
        Console.WriteLine($"most sends accepted in any 60 s: {busiest} (quota {rate})");
        Console.WriteLine($"quota used while there was work: {used:P1} ({accepted.Count(t => t < ended)} of {rate * minutes} in {minutes} min)");
        await using (var connection = new NpgsqlConnection(world.ConnectionString))
        {
            // A permit whose email did not start within Mail:RateWindowMargin (a slow claim-to-send path) is spent unused.
            var granted = await connection.ExecuteScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM relay_permits");
            Console.WriteLine($"permits granted {granted}, emails accepted {accepted.Count}: {granted - accepted.Count} permits spent unused");
        }
        return busiest <= rate ? 0 : 1;
    }

    private static IEnumerable<DateTimeOffset> AcceptedAt(string mailFolder) =>
        File.ReadLines(Path.Combine(mailFolder, "sessions.log")).Where(l => l.StartsWith("250 ", StringComparison.Ordinal))
            .Select(l => DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(l[4..], CultureInfo.InvariantCulture) * 1000)));

    /// <summary>One study, one wave due on 1 March 2027 09:00 in Warsaw, <paramref name="count"/> participants.</summary>
    private static async Task SeedAsync(string connectionString, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO studies (code, title, time_zone, languages, default_language, sender_name, sender_email, status, send_time, send_hours_start,
                                 send_hours_end, send_days, max_emails_per_participant_per_day, created_at)
            VALUES ('quota', '{"en":"Quota study"}', 'Europe/Warsaw', '{en}', 'en', 'Study team', 'study@example.org', 'active', '09:00', '08:00', '20:00',
                    '{1,2,3,4,5}', 1, now());
            INSERT INTO waves (study_id, code, position, title, intro, anchor, offset_value, offset_unit, window_opens_days, window_closes_days, roles,
                               reminder_days, last_chance_days_before, estimated_minutes, emails, status)
            SELECT s.id, 'baseline', 0, '{"en":"Wave"}', '{}', 'course_end', 0, 'days', 0, 14, '{}', '{}', 2, 10,
                   '{"invitation":{"subject":{"en":"{wave_title}"},"body":{"en":"{salutation},\n\nPlease answer: {link}"}},"reminders":[],"lastChance":null}', 'active'
            FROM studies s WHERE s.code = 'quota';
            WITH p AS (
                INSERT INTO participants (study_id, code, role, language, time_zone, status, enrolled_on, created_at, updated_at, schedule_stale)
                SELECT (SELECT id FROM studies WHERE code = 'quota'), 'P-' || g, 'trainee', 'en', 'Europe/Warsaw', 'active', DATE '2027-01-10', now(), now(), true
                FROM generate_series(1, @count) g RETURNING id, code),
            a AS (INSERT INTO participant_anchors (participant_id, name, date) SELECT id, 'course_end', DATE '2027-03-01' FROM p)
            INSERT INTO contact_details (participant_id, study_id, email, name, updated_at)
            SELECT id, (SELECT id FROM studies WHERE code = 'quota'), lower(code) || '@example.org', 'Participant ' || code, now() FROM p;
            ANALYZE;
            """, new { count });
    }

    /// <summary>The system clock moved by a fixed offset; delays run on real time.</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
