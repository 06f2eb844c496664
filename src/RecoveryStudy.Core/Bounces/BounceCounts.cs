using Dapper;
using Npgsql;

namespace RecoveryStudy.Bounces;

/// <summary>
/// What the bounce mailbox brought in over the last <see cref="Days"/> days, for the study
/// dashboard: hard and soft bounces and complaints about this study's emails, and the forged and
/// unparsed reports of the whole mailbox (they name no study we can trust, so every dashboard shows them).
/// </summary>
public sealed record BounceCounts(int Hard, int Soft, int Complaints, int Forged, int Unparsed)
{
    public const int Days = 30;

    public static async Task<BounceCounts> ForStudyAsync(NpgsqlDataSource dataSource, int studyId, DateTime now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Kind, int Count)>(new CommandDefinition(
            """
            SELECT kind, count(*)::int FROM bounce_reports
            WHERE received_at >= @since AND (study_id = @studyId OR (study_id IS NULL AND kind IN ('forged', 'unparsed')))
            GROUP BY kind
            """, new { since = now.AddDays(-Days), studyId }, cancellationToken: cancellationToken));
        var byKind = rows.ToDictionary(r => r.Kind, r => r.Count, StringComparer.Ordinal);
        return new BounceCounts(byKind.GetValueOrDefault(BounceKind.Hard), byKind.GetValueOrDefault(BounceKind.Soft),
            byKind.GetValueOrDefault(BounceKind.Complaint), byKind.GetValueOrDefault(BounceKind.Forged), byKind.GetValueOrDefault(BounceKind.Unparsed));
    }
}
