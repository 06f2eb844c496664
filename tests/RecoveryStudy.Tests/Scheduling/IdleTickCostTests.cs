using System.Text.Json;
using Npgsql;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Scheduling;

/// <summary>
/// A plan tick with nothing due costs what is due, not the size of the study: each of its three
/// claim probes reads a handful of index pages, whether the study has a few participants or
/// twenty thousand, all planned, sent and followed up.
/// </summary>
public sealed class IdleTickCostTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private const int Participants = 20_000;

    [Fact]
    public async Task Each_probe_of_an_idle_tick_reads_a_few_pages_among_twenty_thousand_planned_participants()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var now = world.Clock.GetUtcNow().UtcDateTime;
        await using var connection = await world.DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection,
            """
            INSERT INTO participants (study_id, code, role, language, time_zone, status, enrolled_on, created_at, updated_at, schedule_stale, plan_again_at)
            SELECT @study, 'IDLE-' || g, 'trainee', 'en', 'Europe/Warsaw', 'active', DATE '2027-01-10', @now, @now, false, @now + interval '100 days'
            FROM generate_series(1, @count) g;
            INSERT INTO invitations (study_id, participant_id, wave_id, status, due_date, opens_at, closes_at, planned_at, sent_at, reminders_planned_at)
            SELECT @study, p.id, @wave, 'sent', DATE '2027-03-01', @now, @now + interval '14 days', @now, @now, @now
            FROM participants p WHERE p.study_id = @study AND p.code LIKE 'IDLE-%';
            ANALYZE participants;
            ANALYZE invitations;
            """, world.Study.Id, world.Wave.Id, now);

        var pages = new Dictionary<string, long>
        {
            ["stale"] = await PagesReadAsync(connection, PlanJob.ClaimStaleSql, now),
            ["due again"] = await PagesReadAsync(connection, PlanJob.ClaimDueAgainSql, now),
            ["sent, reminders to queue"] = await PagesReadAsync(connection, PlanJob.ClaimSentUnplannedSql, now),
        };

        // A scan of either table would read hundreds of pages (20,000 rows each).
        Assert.All(pages, probe => Assert.True(probe.Value <= 10, $"probe '{probe.Key}' read {probe.Value} pages"));
        Assert.Equal(0, await world.Jobs.Plan.PlanChunkAsync(PlanJob.DefaultChunkSize, CancellationToken.None));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, int study, int wave, DateTime now)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("study", study);
        command.Parameters.AddWithValue("wave", wave);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("count", Participants);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Shared buffers the probe touched, run for real (EXPLAIN ANALYZE) and rolled back.</summary>
    private static async Task<long> PagesReadAsync(NpgsqlConnection connection, string probe, DateTime now)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + probe, connection, transaction);
        command.Parameters.AddWithValue("rest", PlanJob.DefaultChunkSize);
        command.Parameters.AddWithValue("now", now);
        var json = (string)(await command.ExecuteScalarAsync())!;
        await transaction.RollbackAsync();
        var plan = JsonDocument.Parse(json).RootElement[0].GetProperty("Plan");
        return plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64();
    }
}
