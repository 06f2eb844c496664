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
/// dropped without sending: whoever holds it sends it.
/// </summary>
internal sealed class SendTimeCheck(string node, MailOptions options, TimeProvider clock, ILogger logger)
{
    /// <summary>The claim's eligibility fields read again, for the messages still claimed by this dispatcher.</summary>
    private const string StillOursSql = """
        SELECT m.id, m.kind, i.status AS invitation_status, i.closes_at, i.reminders_stopped_at,
               p.status AS participant_status, p.opted_out_at, p.undeliverable_at, c.email
        FROM messages m
        JOIN invitations i ON i.id = m.invitation_id
        JOIN participants p ON p.id = i.participant_id
        LEFT JOIN contact_details c ON c.participant_id = p.id
        WHERE m.id = ANY(@ids) AND m.status = 'sending' AND m.claimed_by = @node
        """;

    private const string CancelSql = """
        UPDATE messages SET status = 'cancelled', cancel_reason = @reason, claimed_by = NULL, claimed_until = NULL
        WHERE id = ANY(@ids) AND claimed_by = @node AND status = 'sending'
        """;

    /// <summary>Messages cancelled at send time; read once the stage has ended.</summary>
    public int Cancelled { get; private set; }

    /// <summary>Messages dropped because their claim was no longer this dispatcher's.</summary>
    public int NoLongerOurs { get; private set; }

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
        var byId = current.ToDictionary(c => c.Id);
        var cancels = current.Select(c => (c.Id, Reason: c.CancelReason(now))).Where(c => c.Reason is not null).ToList();
        foreach (var reason in cancels.GroupBy(c => c.Reason!))
        {
            connection = await DatabaseOutage.RunAsync(dataSource, connection,
                c => c.ExecuteAsync(CancelSql, new { reason = reason.Key, ids = reason.Select(x => x.Id).ToArray(), node }),
                null, options.ClaimLease, null);
        }
        Cancelled += cancels.Count;
        NoLongerOurs += group.Count - current.Count;
        var cancelled = cancels.Select(c => c.Id).ToHashSet();
        return group.Where(c => byId.ContainsKey(c.Candidate.Id) && !cancelled.Contains(c.Candidate.Id)).ToList();
    }
}
