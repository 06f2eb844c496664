using System.Diagnostics.Metrics;
using Npgsql;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Metrics;

/// <summary>
/// Gauges read from the database: how long the oldest due email has waited, how far behind the
/// plan job is, and the invitations still open per wave. One set of queries fills all of them
/// and is kept for <see cref="CacheFor"/>, so a scrape every few seconds (or several scrapers)
/// costs the database at most one round of index probes per ten seconds. The meter comes from
/// this host's <see cref="IMeterFactory"/>, so two hosts in one process report their own database.
/// </summary>
public sealed class DatabaseGauges
{
    public const string MeterName = "RecoveryStudy.Database";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly NpgsqlDataSource dataSource;
    private readonly TimeProvider clock;
    private readonly ILogger<DatabaseGauges> logger;
    private readonly Lock refreshing = new();
    private Snapshot? last;

    public DatabaseGauges(IMeterFactory meters, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<DatabaseGauges> logger)
    {
        this.dataSource = dataSource;
        this.clock = clock;
        this.logger = logger;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("recoverystudy.mail.oldest_due.age", () => One(s => s.OldestDueSeconds),
            "s", "How long the oldest email that is due (queued, its next attempt time passed, study and wave active) has waited");
        meter.CreateObservableGauge("recoverystudy.plan.lag", () => One(s => s.PlanLagSeconds),
            "s", "How late the plan job is: the age of the oldest planning it has not done yet (a participant due again, reminders of a sent invitation)");
        meter.CreateObservableGauge("recoverystudy.plan.stale_participants", () => One(s => s.StaleParticipants),
            "{participant}", "Participants marked for re-planning (new, or their anchors, role, status or protocol changed) and not yet planned");
        meter.CreateObservableGauge("recoverystudy.invitations.open", OpenInvitations,
            "{invitation}", "Invitations still open (planned, sent, opened, in progress) per study and wave");
    }

    private sealed record WaveCount(string Study, string Wave, long Open);

    private sealed record Snapshot(DateTime TakenAt, double OldestDueSeconds, double PlanLagSeconds, long StaleParticipants, IReadOnlyList<WaveCount> OpenByWave);

    private const string FiguresSql = """
        SELECT
          (SELECT m.next_attempt_at FROM messages m
             JOIN invitations i ON i.id = m.invitation_id JOIN studies s ON s.id = i.study_id JOIN waves w ON w.id = i.wave_id
           WHERE m.status = 'queued' AND m.next_attempt_at <= @now AND s.status = 'active' AND w.status = 'active'
           ORDER BY m.next_attempt_at, m.id LIMIT 1) AS oldest_due,
          (SELECT min(plan_again_at) FROM participants WHERE plan_again_at <= @now) AS plan_due_since,
          (SELECT min(sent_at) FROM invitations WHERE sent_at IS NOT NULL AND reminders_planned_at IS NULL) AS reminders_due_since,
          (SELECT count(*) FROM participants WHERE schedule_stale) AS stale
        """;

    private static readonly string OpenByWaveSql = $"""
        SELECT s.code AS study, w.code AS wave, count(*) AS open
        FROM invitations i JOIN studies s ON s.id = i.study_id JOIN waves w ON w.id = i.wave_id
        WHERE i.status IN ({InvitationStatus.OpenSqlList})
        GROUP BY s.code, w.code
        ORDER BY s.code, w.code
        """;

    /// <summary>One unlabelled value, or none while the database cannot be read (the series then goes missing).</summary>
    private IEnumerable<Measurement<T>> One<T>(Func<Snapshot, T> value) where T : struct =>
        Current() is { } snapshot ? [new Measurement<T>(value(snapshot))] : [];

    private IEnumerable<Measurement<long>> OpenInvitations() =>
        Current()?.OpenByWave.Select(w => new Measurement<long>(w.Open, new("study", w.Study), new("wave", w.Wave))) ?? [];

    /// <summary>The figures, read again once they are <see cref="CacheFor"/> old; null while the database cannot be read.</summary>
    private Snapshot? Current()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        lock (refreshing)
        {
            if (last is { } cached && now - cached.TakenAt < CacheFor && now >= cached.TakenAt)
            {
                return cached;
            }
            try
            {
                last = Read(now);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Database gauges not read: {Error}", e.Message);
                last = null;
            }
            return last;
        }
    }

    // Synchronous: the exporter collects gauges through synchronous callbacks.
    private Snapshot Read(DateTime now)
    {
        using var connection = dataSource.OpenConnection();
        using var figures = new NpgsqlCommand(FiguresSql, connection) { CommandTimeout = 5 };
        figures.Parameters.AddWithValue("now", now);
        DateTime? oldestDue, planBehindSince;
        long stale;
        using (var reader = figures.ExecuteReader())
        {
            reader.Read();
            oldestDue = reader.IsDBNull(0) ? null : reader.GetDateTime(0);
            planBehindSince = Earliest(reader.IsDBNull(1) ? null : reader.GetDateTime(1), reader.IsDBNull(2) ? null : reader.GetDateTime(2));
            stale = reader.GetInt64(3);
        }
        using var byWave = new NpgsqlCommand(OpenByWaveSql, connection) { CommandTimeout = 5 };
        var open = new List<WaveCount>();
        using (var reader = byWave.ExecuteReader())
        {
            while (reader.Read())
            {
                open.Add(new WaveCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }
        return new Snapshot(now, SecondsSince(oldestDue, now), SecondsSince(planBehindSince, now), stale, open);
    }

    private static DateTime? Earliest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static double SecondsSince(DateTime? since, DateTime now) => since is DateTime at && at < now ? (now - at).TotalSeconds : 0;
}
