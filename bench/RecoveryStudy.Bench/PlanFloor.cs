using System.Diagnostics;
using Dapper;
using Npgsql;

namespace RecoveryStudy.Bench;

/// <summary>
/// The database's own floor for a plan tick on this machine, in the same run: the rows the plan
/// job writes for the first wave (one invitation and its queued email per participant, every
/// participant marked planned), written by three set-based statements that do no planning at
/// all, in one transaction that is rolled back. What the plan job takes beyond this is the cost
/// of planning; what this takes is the cost of the rows (indexes, foreign keys, WAL).
/// </summary>
internal static class PlanFloor
{
    public static async Task<(double Seconds, double ServerCpu, long Invitations, long Messages)> MeasureAsync(BenchWorld world, NpgsqlDataSource dataSource, DateTime now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var server = world.ServerCpuSeconds();
        var watch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync();
        var invitations = await connection.ExecuteAsync(
            """
            INSERT INTO invitations (study_id, participant_id, wave_id, status, due_date, opens_at, closes_at, planned_at)
            SELECT p.study_id, p.id, w.id, 'planned', DATE '2027-03-01', @now, @now + interval '15 days', @now
            FROM participants p JOIN waves w ON w.study_id = p.study_id AND w.position = 0
            WHERE p.study_id = (SELECT id FROM studies WHERE code = 'bench')
            """, new { now }, transaction, commandTimeout: 600);
        var messages = await connection.ExecuteAsync(
            """
            INSERT INTO messages (invitation_id, kind, step, status, due_at, next_attempt_at, attempts, unknown_outcomes, created_at)
            SELECT i.id, 'invitation', 0, 'queued', @now, @now, 0, 0, @now FROM invitations i
            WHERE i.study_id = (SELECT id FROM studies WHERE code = 'bench')
            """, new { now }, transaction, commandTimeout: 600);
        await connection.ExecuteAsync(
            "UPDATE participants SET schedule_stale = false, plan_again_at = @later WHERE study_id = (SELECT id FROM studies WHERE code = 'bench')",
            new { later = now.AddDays(148) }, transaction, commandTimeout: 600);
        await transaction.RollbackAsync();
        watch.Stop();
        var serverCpu = world.ServerCpuSeconds() - server;
        await connection.ExecuteAsync("VACUUM ANALYZE", commandTimeout: 600);
        return (watch.Elapsed.TotalSeconds, serverCpu, invitations, messages);
    }
}
