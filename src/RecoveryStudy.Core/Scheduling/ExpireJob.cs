using Dapper;
using RecoveryStudy.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// The `expire` job: invitations whose window has ended become `expired`, their queued messages
/// are cancelled and their unfinished responses kept as `incomplete`, all in one statement.
/// Reads only open invitations past their close (a partial index), so it costs nothing when
/// nothing ended; running it twice changes nothing the second time. Open interview tasks whose
/// window ended become `missed` in the same run.
/// </summary>
public sealed class ExpireJob(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<ExpireJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int expired;
        do
        {
            expired = await ExpireBatchAsync(5000, cancellationToken);
            total += expired;
        }
        while (expired > 0);
        if (total > 0)
        {
            logger.LogInformation("Expired {Invitations} invitation(s)", total);
        }
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            var missed = await Interviews.InterviewTaskWriter.MarkMissedAsync(connection, clock.GetUtcNow().UtcDateTime, cancellationToken);
            if (missed > 0)
            {
                logger.LogInformation("Marked {Tasks} interview task(s) missed", missed);
            }
        }
        return total;
    }

    public async Task<int> ExpireBatchAsync(int size, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"""
            WITH expired AS (
                UPDATE invitations SET status = 'expired', expired_at = @now
                WHERE id IN (
                    SELECT id FROM invitations
                    WHERE status IN ({InvitationStatus.OpenSqlList}) AND closes_at <= @now
                    ORDER BY closes_at LIMIT @size FOR UPDATE SKIP LOCKED)
                RETURNING id),
            cancelled AS (
                UPDATE messages SET status = 'cancelled', cancel_reason = 'window_closed'
                WHERE invitation_id IN (SELECT id FROM expired) AND status = 'queued'),
            incomplete AS (
                UPDATE responses SET status = 'incomplete', updated_at = @now
                WHERE invitation_id IN (SELECT id FROM expired) AND status = 'in_progress')
            SELECT count(*)::int FROM expired
            """,
            new { now = clock.GetUtcNow().UtcDateTime, size }, cancellationToken: cancellationToken));
    }
}
