using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// The `plan` job: (re-)plans every participant marked stale (new, or something their schedule
/// depends on changed), whose next emails have come within the queue horizon, or whose invitation
/// went out and has its reminders still to queue (they count from the real send), in chunks, each
/// chunk one transaction that writes invitation state and outbox messages together. Participants
/// are claimed with FOR UPDATE SKIP LOCKED, so two nodes, and the job's own parallel chunk loops,
/// share the work; running it twice changes nothing the second time. With nothing due, a tick is
/// three index probes (stale, due again, sent with reminders to queue).
/// </summary>
public sealed class PlanJob(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<PlanJob> logger)
{
    /// <summary>
    /// Participants per chunk. Measured with the benchmark (100,000 due at once, same run each):
    /// 1,000 and 2,000 took 10.8 s with 13-14 s of database CPU, 4,000-8,000 took 9.0-9.7 s
    /// with 10-11 s (each statement's fixed cost spread over more rows). A chunk holds its
    /// participants' rows locked for its transaction (about a second at 4,000).
    /// </summary>
    public const int DefaultChunkSize = 4000;

    /// <summary>
    /// Chunk loops run side by side. Most of a large tick's time is the database's own work per
    /// row (index entries, foreign-key checks, WAL), so a second connection doubles what one
    /// tick can write on a server with two or more cores; SKIP LOCKED gives each loop its own
    /// participants. Two keeps one job from taking every core of a small server.
    /// </summary>
    public const int ParallelChunks = 2;

    /// <summary>
    /// Emails are queued (a message row written) only once they are due within this horizon; the
    /// rest of the plan waits in <c>plan_again_at</c>. A 16-month follow-up's reminders are not
    /// rows a year ahead, so a large enrolment writes what falls due soon, not the whole study, and
    /// a protocol change moves fewer rows. Longer than the console's look-ahead (7 days) and than
    /// the usual window, so an invitation's reminders are mostly queued with it.
    /// </summary>
    public static readonly Duration DefaultQueueHorizon = Duration.FromDays(35);

    /// <summary>Participants per chunk (one transaction each).</summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    public Duration QueueHorizon { get; init; } = DefaultQueueHorizon;

    /// <summary>Plans until nothing is stale or the time budget is spent (the next tick continues).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var budget = Stopwatch.StartNew();
        async Task<int> LoopAsync()
        {
            var planned = 0;
            int chunk;
            do
            {
                chunk = await PlanChunkAsync(ChunkSize, cancellationToken);
                planned += chunk;
            }
            while (chunk > 0 && budget.Elapsed < TimeSpan.FromSeconds(40));
            return planned;
        }
        // The first chunk alone: an idle tick stays one index probe on one connection, and a
        // tick with less than a chunk to do opens no second connection.
        var first = await PlanChunkAsync(ChunkSize, cancellationToken);
        var total = first;
        if (first == ChunkSize)
        {
            total += (await Task.WhenAll(Enumerable.Range(0, ParallelChunks).Select(_ => LoopAsync()))).Sum();
        }
        if (total > 0)
        {
            logger.LogInformation("Planned {Participants} participant(s) in {Elapsed} ms", total, budget.ElapsedMilliseconds);
        }
        return total;
    }

    /// <summary>Participants marked stale (new, or something their schedule depends on changed).</summary>
    internal const string ClaimStaleSql =
        $"SELECT {PlanState.ParticipantColumns} FROM participants WHERE schedule_stale ORDER BY id LIMIT @rest FOR UPDATE SKIP LOCKED";

    /// <summary>Participants whose next emails have come within the queue horizon.</summary>
    internal const string ClaimDueAgainSql = $"""
        SELECT {PlanState.ParticipantColumns} FROM participants WHERE plan_again_at <= @now AND NOT schedule_stale
        ORDER BY plan_again_at LIMIT @rest FOR UPDATE SKIP LOCKED
        """;

    /// <summary>Participants with an invitation that went out since: their reminders count from the real send moment.</summary>
    internal const string ClaimSentUnplannedSql = $"""
        SELECT {PlanState.ParticipantColumns} FROM participants
        WHERE id IN (SELECT participant_id FROM invitations WHERE sent_at IS NOT NULL AND reminders_planned_at IS NULL
                     ORDER BY participant_id LIMIT @rest)
        FOR UPDATE SKIP LOCKED
        """;

    /// <summary>Plans at most <paramref name="size"/> stale participants in one transaction; returns how many.</summary>
    public async Task<int> PlanChunkAsync(int size, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.Now();
        // One query per condition, each an ordered scan of its own partial index that stops after
        // the chunk (a single query with OR reads and sorts every matching row for each chunk).
        var claimed = (await connection.QueryAsync<PlanState.ParticipantRow>(ClaimStaleSql, new { rest = size }, transaction)).ToList();
        if (claimed.Count < size)
        {
            claimed.AddRange(await connection.QueryAsync<PlanState.ParticipantRow>(ClaimDueAgainSql,
                new { rest = size - claimed.Count, now = now.ToDateTimeUtc() }, transaction));
        }
        if (claimed.Count < size)
        {
            // Rows this transaction locked above come back here too, hence the DistinctBy below.
            claimed.AddRange(await connection.QueryAsync<PlanState.ParticipantRow>(ClaimSentUnplannedSql,
                new { rest = size - claimed.Count }, transaction));
        }
        if (claimed.Count == 0)
        {
            return 0;
        }
        var state = await PlanState.LoadAsync(connection, transaction, [.. claimed.DistinctBy(p => p.Id)]);
        var ids = state.Participants.Select(p => p.Id).ToArray();
        var plans = state.Participants.Select(p => PlanOne(state, p, now)).ToList();
        var written = await PlanWriter.WriteAsync(connection, transaction, state, plans, now, now + QueueHorizon);
        await Interviews.InterviewTaskWriter.WriteAsync(connection, transaction, state, now);
        await connection.ExecuteAsync(
            """
            UPDATE participants p SET schedule_stale = false, plan_again_at = x.at
            FROM unnest(@ids, @ats) AS x(id, at) WHERE p.id = x.id;
            UPDATE invitations SET reminders_planned_at = @planned WHERE id = ANY(@sent) AND reminders_planned_at IS NULL;
            """,
            new
            {
                ids,
                ats = ids.Select(id => written.PlanAgainAt.GetValueOrDefault(id)?.ToDateTimeUtc()).ToArray(),
                planned = now.ToDateTimeUtc(),
                // Only what this plan saw as sent: one that goes out while it runs is still to do.
                sent = state.Participants.SelectMany(p => state.Invitations[p.Id]).Where(i => i.SentAt is not null).Select(i => i.Id).ToArray(),
            },
            transaction);
        await transaction.CommitAsync(cancellationToken);
        MailMetrics.Queued(written.Queued);
        return ids.Length;
    }

    private static PlanWriter.ParticipantPlan PlanOne(PlanState state, PlanState.ParticipantRow row, Instant now)
    {
        var study = state.Studies[row.StudyId];
        if (study.Status == StudyStatus.Closed)
        {
            return new PlanWriter.ParticipantPlan(row, row.StudyId, [], "study_closed");
        }
        var participant = state.ToPlanParticipant(row);
        var plans = ParticipantPlanner.Plan(participant, state.WavesByStudy[row.StudyId], [.. state.Invitations[row.Id]],
            [.. state.Messages[row.Id]], now);
        return new PlanWriter.ParticipantPlan(row, row.StudyId, plans, null);
    }
}
