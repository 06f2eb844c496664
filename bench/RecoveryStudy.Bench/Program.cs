using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RecoveryStudy.Bench;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Scheduling;

// dotnet run -c Release --project bench/RecoveryStudy.Bench [-- PARTICIPANTS DISPATCH_MESSAGES [ROUNDS]]
// Plan tick over 100,000 participants in three waves (nothing due; 100,000 invitations due at once),
// then dispatch throughput next to a raw MailKit loop's ceiling on the same SMTP sink.
// dotnet run -c Release --project bench/RecoveryStudy.Bench -- quota [MINUTES [RATE_PER_MINUTE [RUN_BUDGET_SECONDS]]]
// Three dispatcher nodes under one relay quota (QuotaRun.cs).
if (args is ["quota", ..])
{
    return await QuotaRun.RunAsync(args[1..]);
}
var participants = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var dispatchCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 15;
// The configurations measured: the outcome group sizes with batches of 5,000 (one SMTP connection
// for the whole run, claimed 500 at a time while sending), and the default group with batches of 500.
const int Volume = 5_000;
(int Group, int Batch)[] configurations = [(1, Volume), (MailOptions.DefaultOutcomeGroupSize, Volume), (25, Volume), (MailOptions.DefaultOutcomeGroupSize, 500)];
// Every dispatch run, and the two against the relay that answers at once, sends fresh first-wave
// emails: one per participant. A run that found fewer due would be measured as a slow run.
var needed = (long)dispatchCount * (rounds * configurations.Length + 2);
if (rounds > 0 && needed > participants)
{
    Console.Error.WriteLine($"{rounds} rounds of {dispatchCount:N0} messages in {configurations.Length} configurations, and 2 runs against the instant relay, " +
        $"need {needed:N0} participants; the first argument gives {participants:N0}.");
    return 2;
}
await using var world = await BenchWorld.StartAsync();
await using var dataSource = DatabaseSetup.CreateDataSource(world.ConnectionString);
// 1 March 2027, 09:00 in Warsaw: the first wave falls due for everyone.
var clock = new BenchClock(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero));
var results = new List<(string What, string Figure)>();
void Report(string what, string figure)
{
    results.Add((what, figure));
    Console.WriteLine($"{what}: {figure}");
}

// One study with three waves and N participants whose first wave falls due at the benchmark's moment.
async Task SeedStudyAsync(string code, int count)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    await connection.ExecuteAsync(
        """
        INSERT INTO studies (code, title, time_zone, languages, default_language, sender_name, sender_email, status, send_time, send_hours_start,
                             send_hours_end, send_days, max_emails_per_participant_per_day, created_at)
        VALUES (@code, '{"en":"Bench study"}', 'Europe/Warsaw', '{en}', 'en', 'Study team', 'study@example.org', 'active', '09:00', '08:00', '20:00',
                '{1,2,3,4,5}', 1, now());
        INSERT INTO waves (study_id, code, position, title, intro, anchor, offset_value, offset_unit, window_opens_days, window_closes_days, roles,
                           reminder_days, last_chance_days_before, estimated_minutes, emails, status)
        SELECT s.id, w.code, w.position, '{"en":"Wave"}', '{}', 'course_end', w.offset_value, w.unit, 0, 14, '{}', '{3,7}', 2, 10,
               '{"invitation":{"subject":{"en":"{wave_title}"},"body":{"en":"{salutation},\n\nPlease answer: {link}\n\nOpen until {close_date} ({days_left} days left)."}},"reminders":[],"lastChance":null}', 'active'
        FROM studies s, (VALUES ('baseline', 0, 0, 'days'), ('post', 1, 6, 'months'), ('follow_up', 2, 16, 'months')) AS w(code, position, offset_value, unit)
        WHERE s.code = @code;
        WITH p AS (
            INSERT INTO participants (study_id, code, role, language, time_zone, status, enrolled_on, created_at, updated_at, schedule_stale)
            SELECT (SELECT id FROM studies WHERE code = @code), 'P-' || g, 'trainee', 'en', 'Europe/Warsaw', 'active', DATE '2027-01-10', now(), now(), true
            FROM generate_series(1, @count) g RETURNING id, code),
        a AS (INSERT INTO participant_anchors (participant_id, name, date) SELECT id, 'course_end', DATE '2027-03-01' FROM p)
        INSERT INTO contact_details (participant_id, study_id, email, name, updated_at)
        SELECT id, (SELECT id FROM studies WHERE code = @code), @code || '-' || lower(code) || '@example.org', 'Participant ' || code, now() FROM p;
        ANALYZE;
        """, new { code, count }, commandTimeout: 600);
}

async Task<int> PlanAllAsync(PlanJob job)
{
    var total = 0;
    int planned;
    while ((planned = await job.RunAsync(CancellationToken.None)) > 0)
    {
        total += planned;
    }
    return total;
}

var plan = new PlanJob(dataSource, clock, NullLogger<PlanJob>.Instance);
// Untimed, in a study of its own: the first plan ticks of a process run the planner and the
// writer before the JIT has compiled them fully (tier 0 and the instrumented tier: on this
// machine, a cold process's first 100,000 took about 4 s more CPU); a running service has done
// that long before a large enrolment. Its figure is reported as well.
const int warmUp = 20_000;
await SeedStudyAsync("warmup", warmUp);
var cold = Stopwatch.StartNew();
await PlanAllAsync(plan);
Report("plan, first ticks of a fresh process (untimed warm-up, own study)", $"{warmUp:N0} participants in {cold.Elapsed.TotalSeconds:F1} s");

var seed = Stopwatch.StartNew();
await SeedStudyAsync("bench", participants);
Report("seed", $"{participants:N0} participants, 3 waves, in {seed.Elapsed.TotalSeconds:F1} s");

var floor = await PlanFloor.MeasureAsync(world, dataSource, clock.GetUtcNow().UtcDateTime);
Report("floor: the same first-wave rows by three set-based statements, no planning (rolled back)",
    $"{floor.Invitations:N0} invitations and {floor.Messages:N0} messages, {participants:N0} participants updated, in {floor.Seconds:F1} s " +
    $"(database server CPU {floor.ServerCpu:F1} s)");

var cpu = (Server: world.ServerCpuSeconds(), Own: BenchWorld.OwnCpuSeconds());
var due = Stopwatch.StartNew();
var planned = await PlanAllAsync(plan);
due.Stop();
var planCpu = (Server: world.ServerCpuSeconds() - cpu.Server, Own: BenchWorld.OwnCpuSeconds() - cpu.Own);
await using (var connection = await dataSource.OpenConnectionAsync())
{
    var counts = await connection.QuerySingleAsync<(long Invitations, long Messages, long DueNow)>(
        """
        SELECT (SELECT count(*) FROM invitations i JOIN studies s ON s.id = i.study_id WHERE s.code = 'bench'),
               (SELECT count(*) FROM messages m JOIN invitations i ON i.id = m.invitation_id JOIN studies s ON s.id = i.study_id WHERE s.code = 'bench'),
               (SELECT count(*) FROM messages m JOIN invitations i ON i.id = m.invitation_id JOIN studies s ON s.id = i.study_id
                WHERE s.code = 'bench' AND m.next_attempt_at <= @now)
        """,
        new { now = clock.GetUtcNow().UtcDateTime });
    Report("plan, everything new (invitations due now for all)",
        $"{planned:N0} participants -> {counts.Invitations:N0} invitations ({counts.DueNow:N0} due now) and {counts.Messages:N0} queued messages in {due.Elapsed.TotalSeconds:F1} s");
    Report("plan, CPU used", $"database server {planCpu.Server:F1} s, plan job (this process) {planCpu.Own:F1} s");
    await connection.ExecuteAsync("VACUUM ANALYZE");
}

var idle = new List<double>();
for (var i = 0; i < 50; i++)
{
    var tick = Stopwatch.StartNew();
    await plan.PlanChunkAsync(PlanJob.DefaultChunkSize, CancellationToken.None);
    idle.Add(tick.Elapsed.TotalMilliseconds);
}
idle.Sort();
Report("plan tick, nothing due", $"median {idle[25]:F2} ms, max {idle[^1]:F2} ms over 50 ticks");

var expire = new ExpireJob(dataSource, clock, NullLogger<ExpireJob>.Instance);
var expireTick = Stopwatch.StartNew();
await expire.RunAsync(CancellationToken.None);
Report("expire tick, nothing ended", $"{expireTick.Elapsed.TotalMilliseconds:F2} ms");

// Dispatch: every message pushed a day ahead; each run brings its own fresh invitation emails due.
await using (var connection = await dataSource.OpenConnectionAsync())
{
    await connection.ExecuteAsync("UPDATE messages SET next_attempt_at = next_attempt_at + interval '1 day'", commandTimeout: 600);
    // Otherwise autovacuum and a checkpoint clean up after that update during the first runs.
    await connection.ExecuteAsync("VACUUM ANALYZE; CHECKPOINT", commandTimeout: 600);
}
// Alternated with the ceiling, so a change in the machine's load shows instead of hiding in one figure.
string Figures(SendRun run) => $"{run.Sent:N0} messages in {run.Seconds:F1} s = {run.Rate:F0} msg/s (CPU: database server {run.ServerCpu:F1} s, " +
    $"this process {run.OwnCpu:F1} s, sink {run.SinkCpu:F1} s)";
// Untimed: the first sends of a process pay for JIT compilation and warm caches, and the sink's
// first writes compete with the checkpoint's (seen: the first timed run at half the speed of the rest).
await DispatchRuns.RawLoopAsync(world, dispatchCount);
await Task.Delay(TimeSpan.FromSeconds(5));
// Each dispatch run is compared with the raw loop's runs just before and just after it (their mean):
// the machine's speed drifts from one run to the next (the same raw loop measured 550-1,120 msg/s
// in one benchmark run), and a ceiling measured once per round hid that drift in the ratio.
string Label((int Group, int Batch) c) => $"outcomes written {c.Group} at a time, batches of {c.Batch:N0}";
var ratios = new Dictionary<string, List<double>>();
var ceilings = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    var before = await DispatchRuns.RawLoopAsync(world, dispatchCount);
    ceilings.Add(before.Rate);
    Report($"round {round}: raw MailKit loop, same sink (ceiling)", Figures(before));
    foreach (var configuration in configurations)
    {
        var label = Label(configuration);
        var run = await DispatchRuns.DispatcherAsync(world, dataSource, clock, dispatchCount, configuration.Group, configuration.Batch);
        if (run.Sent != dispatchCount)
        {
            throw new InvalidOperationException($"Round {round}, {label}: {run.Sent:N0} of {dispatchCount:N0} messages sent.");
        }
        var after = await DispatchRuns.RawLoopAsync(world, dispatchCount);
        ceilings.Add(after.Rate);
        var ceiling = (before.Rate + after.Rate) / 2;
        (ratios.TryGetValue(label, out var list) ? list : ratios[label] = []).Add(run.Rate / ceiling);
        Report($"round {round}: dispatch, {label}", Figures(run)
            + $", {100 * run.Rate / ceiling:F0} % of the raw loop's {ceiling:F0} msg/s (before {before.Rate:F0}, after {after.Rate:F0})");
        before = after;
    }
}
foreach (var (label, list) in ratios)
{
    var sorted = list.Order().ToList();
    Report($"dispatch / ceiling, {label}",
        $"median {100 * sorted[sorted.Count / 2]:F0} % (rounds: {string.Join(", ", list.Select(r => $"{100 * r:F0} %"))})");
}
// The dispatcher's own cost: the same runs against a relay that takes every email at once.
for (var k = 0; k < 2 && rounds > 0; k++)
{
    var (allocated, pause, young, older) = (GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1));
    var own = await DispatchRuns.DispatcherAsync(world, dataSource, clock, dispatchCount, MailOptions.DefaultOutcomeGroupSize, Volume, new InstantRelay());
    Report($"dispatch to a relay that takes every email at once, run {k + 1}",
        $"{own.Rate:F0} msg/s; per email: this process {1000 * own.OwnCpu / own.Sent:F2} ms CPU, database server {1000 * own.ServerCpu / own.Sent:F2} ms, " +
        $"{(GC.GetTotalAllocatedBytes() - allocated) / own.Sent / 1024.0:F0} KB allocated; garbage collection paused the process {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms " +
        $"in {GC.CollectionCount(0) - young} collections ({GC.CollectionCount(1) - older} of them of generation 1 or 2)");
}
if (ceilings.Count > 0)
{
    Report("raw MailKit loop, same sink (ceiling)", $"{ceilings.Min():F0}-{ceilings.Max():F0} msg/s over {ceilings.Count} runs of {dispatchCount:N0} messages");
}

Console.WriteLine();
Console.WriteLine("| measurement | result |");
Console.WriteLine("| --- | --- |");
foreach (var (what, figure) in results)
{
    Console.WriteLine($"| {what} | {figure} |");
}
return 0;

/// <summary>A clock that stands still at the benchmark's moment, so every run sees the same due items.</summary>
internal sealed class BenchClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
