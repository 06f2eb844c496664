using Dapper;
using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>The outbox and relay at a glance: what /health reports and a console can show.</summary>
public sealed record MailStatus(DateTime? UnreachableSince, int FailedLastDay, long UnknownOutcomes, int Due)
{
    public static async Task<MailStatus> ReadAsync(NpgsqlDataSource dataSource, string relay, DateTime now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(DateTime? UnreachableSince, int Failed, long Unknown, int Due)>(
            """
            SELECT (SELECT unreachable_since FROM mail_relays WHERE name = @relay),
                   (SELECT count(*)::int FROM messages WHERE status = 'failed' AND failed_at > @since),
                   (SELECT coalesce(sum(unknown_outcomes), 0)::bigint FROM messages WHERE unknown_outcomes > 0),
                   (SELECT count(*)::int FROM messages WHERE status = 'queued' AND next_attempt_at <= @now)
            """, new { relay, since = now.AddDays(-1), now });
        return new MailStatus(row.UnreachableSince, row.Failed, row.Unknown, row.Due);
    }
}
