using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>
/// Between claim and compose: each claimed message is checked again just before it goes out, a
/// few at a time in one statement on a connection of its own. A withdrawal, an opt-out, a
/// completion or a stop of reminders committed after the claim cancels the message here, so that
/// only what commits in the last moments before the relay gets the email (at most a group and the
/// short channels after it). A message no longer this dispatcher's (its claim was taken over) is
/// dropped without sending: whoever holds it sends it. A message whose plan changed after the claim
/// (a new protocol version of its study, or its participant waiting for a re-plan) goes back to the
/// queue unsent and its participant is marked for re-planning: the plan job then moves, keeps or
/// cancels it under the plan now in force, so nothing goes out at a due time that no longer holds.
/// </summary>
internal sealed class SendTimeCheck(string node, MailOptions options, TimeProvider clock, ILogger logger)
{
    /// <summary>The claim's eligibility fields read again, for the messages still claimed by this dispatcher.</summary>
    private const string StillOursSql = """
        SELECT m.id, m.kind, i.status AS invitation_status, i.closes_at, i.reminders_stopped_at, i.participant_id,
               p.status AS participant_status, p.opted_out_at, p.undeliverable_at, p.schedule_stale,
               s.current_protocol_version_id AS protocol_version_id, c.email
        FROM messages m
        JOIN invitations i ON i.id = m.invitation_id
        JOIN participants p ON p.id = i.participant_id
        JOIN studies s ON s.id = i.study_id
        LEFT JOIN contact_details c ON c.participant_id = p.id
        WHERE m.id = ANY(@ids) AND m.status = 'sending' AND m.claimed_by = @node
        """;

    private const string CancelSql = """
        UPDATE messages SET status = 'cancelled', cancel_reason = @reason, claimed_by = NULL, claimed_until = NULL
        WHERE id = ANY(@ids) AND claimed_by = @node AND status = 'sending'
        """;

    /// <summary>
    /// Back to the queue, unsent, and the participant re-planned: the plan job moves the message to the
    /// due time of the plan now in force (or keeps or cancels it). No attempt is counted. Participants
    /// first, as the plan job locks them before their messages.
    /// </summary>
    private const string ReplanSql = """
        UPDATE participants SET schedule_stale = true WHERE id = ANY(@participants) AND NOT schedule_stale;
        UPDATE messages SET status = 'queued', claimed_by = NULL, claimed_until = NULL,
               last_error = 'the plan changed after the claim: given back to be re-planned'
        WHERE id = ANY(@ids) AND claimed_by = @node AND status = 'sending';
        """;

    /// <summary>Messages cancelled at send time; read once the stage has ended.</summary>
    public int Cancelled { get; private set; }

    /// <summary>Messages dropped because their claim was no longer this dispatcher's.</summary>
    public int NoLongerOurs { get; private set; }

    /// <summary>Messages given back because their plan changed after the claim.</summary>
    public int Replanned { get; private set; }

    private NpgsqlConnection? connection;

    public async Task RunAsync(NpgsqlDataSource dataSource, ChannelReader<ClaimedMessage> input, ChannelWriter<ClaimedMessage> output,
        CancellationTokenSource stop)
    {
        var group = new List<ClaimedMessage>(options.OutcomeGroupSize);
        try
        {
            connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
            // Never cancelled: everything claimed is handed on or settled, so that what is not sent is given back.
            while (await input.WaitToReadAsync(CancellationToken.None))
            {
                group.Clear();
                while (group.Count < options.OutcomeGroupSize && input.TryRead(out var claimed))
                {
                    group.Add(claimed);
                }
                // Once sending stopped nothing more goes out: the rest passes on unchecked, to be given back.
                var sendable = stop.IsCancellationRequested ? group : await CheckAsync(dataSource, group, stop);
                foreach (var claimed in sendable)
                {
                    await output.WriteAsync(claimed, CancellationToken.None);
                }
                group.Clear();
            }
        }
        catch
        {
            await stop.CancelAsync();
            foreach (var claimed in group)
            {
                await output.WriteAsync(claimed, CancellationToken.None);
            }
            await foreach (var claimed in input.ReadAllAsync(CancellationToken.None))
            {
                await output.WriteAsync(claimed, CancellationToken.None);
            }
            throw;
        }
        finally
        {
            output.Complete();
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<List<ClaimedMessage>> CheckAsync(NpgsqlDataSource dataSource, List<ClaimedMessage> group, CancellationTokenSource stop)
    {
        var ids = group.Select(c => c.Candidate.Id).ToArray();
        List<DispatchCandidate> current = [];
        connection = await DatabaseOutage.RunAsync(dataSource, connection!,
            async c => current = (await c.QueryAsync<DispatchCandidate>(StillOursSql, new { ids, node })).ToList(),
            null, options.ClaimLease, async () =>
            {
                logger.LogWarning("Database unreachable at the send-time check; sending stops until the batch's outcomes are recorded");
                await stop.CancelAsync();
            });
        var now = clock.GetUtcNow().UtcDateTime;
        var claimedUnder = group.ToDictionary(c => c.Candidate.Id, c => c.Candidate.ProtocolVersionId);
        var cancels = current.Select(c => (c.Id, Reason: c.CancelReason(now))).Where(c => c.Reason is not null).ToList();
        var cancelled = cancels.Select(c => c.Id).ToHashSet();
        var replans = current.Where(c => !cancelled.Contains(c.Id) && (c.ScheduleStale || c.ProtocolVersionId != claimedUnder[c.Id])).ToList();
        foreach (var reason in cancels.GroupBy(c => c.Reason!))
        {
            connection = await DatabaseOutage.RunAsync(dataSource, connection,
                c => c.ExecuteAsync(CancelSql, new { reason = reason.Key, ids = reason.Select(x => x.Id).ToArray(), node }),
                null, options.ClaimLease, null);
        }
        if (replans.Count > 0)
        {
            var given = replans.Select(r => r.Id).ToArray();
            var participants = replans.Select(r => r.ParticipantId).Distinct().ToArray();
            connection = await DatabaseOutage.RunAsync(dataSource, connection,
                c => c.ExecuteAsync(ReplanSql, new { ids = given, participants, node }), null, options.ClaimLease, null);
            logger.LogInformation("{Count} claimed message(s) given back unsent: their plan changed after the claim", replans.Count);
        }
        Cancelled += cancels.Count;
        Replanned += replans.Count;
        NoLongerOurs += group.Count - current.Count;
        var sendable = current.Select(c => c.Id).Except(cancelled).Except(replans.Select(r => r.Id)).ToHashSet();
        return group.Where(c => sendable.Contains(c.Candidate.Id)).ToList();
    }
}
