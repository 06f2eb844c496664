using System.Data.Common;
using Dapper;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Mail;

/// <summary>A claimed message ready to send, with the fresh link tokens its email carries.</summary>
public sealed record ClaimedMessage(DispatchCandidate Candidate, string SurveyToken, string UnsubscribeToken)
{
    /// <summary>When the claim (and the relay's permit for it) was granted.</summary>
    public DateTime ClaimedAt { get; init; }
}

/// <summary>The outcome of one claim: what to send now and what was decided without sending.</summary>
public sealed record Claim(IReadOnlyList<ClaimedMessage> Sends, int Cancelled, int Deferred, DateTime? RateLimitedUntil, int Due);

/// <summary>
/// Claims due messages in one transaction: locks a batch (FOR UPDATE SKIP LOCKED, so nodes never
/// share a message), checks each again against the current state (cancelling what may no longer
/// be sent, deferring what falls outside the allowed hours or over the daily cap), takes permits
/// from the relay's shared rate limit, stores the hashes of fresh link tokens, and marks the
/// granted messages as "sending" under a lease. A reminder with a later step of its invitation
/// due too (after an outage) is skipped, keeping its number. Only paused or draft studies' messages are left
/// alone: they stay queued for the resume. Nor is a message of a participant whose schedule is stale
/// sent (a protocol version, an anchor or a cohort date changed and the plan job has not yet re-planned
/// them): its due time may have moved, so it waits for the plan, which moves, keeps or cancels it;
/// only one that must be cancelled whatever the plan (a withdrawal, an opt-out, a completion) is
/// claimed and cancelled at once.
/// </summary>
internal static class DispatchClaim
{
    /// <summary>A message the rate limit granted, with its fresh link tokens and their hashes.</summary>
    private sealed record Granted(DispatchCandidate Candidate, (string Token, byte[] Hash) Survey, (string Token, byte[] Hash) Unsubscribe);

    /// <summary>
    /// Due messages with what deciding on them and composing them needs, in the order of
    /// <c>ix_message_queued_next_attempt_at_id</c>: the scan stops after a batch, so a claim costs
    /// its batch, not everything that is due. Run after <see cref="FollowTheIndexSql"/>.
    /// </summary>
    internal const string CandidatesSql = $$"""
        SELECT m.id, m.invitation_id, m.kind, m.step, m.attempts, m.due_at, m.next_attempt_at,
               i.status AS invitation_status, i.closes_at, i.reminders_stopped_at, i.participant_id,
               p.status AS participant_status, p.opted_out_at, p.undeliverable_at, p.time_zone, p.language,
               s.time_zone AS study_time_zone, s.send_time, s.send_hours_start, s.send_hours_end, s.send_days,
               s.max_emails_per_participant_per_day, s.default_language, s.title AS study_title, s.sender_name,
               s.sender_email, s.contact_email, s.current_protocol_version_id AS protocol_version_id,
               w.title AS wave_title, w.emails, w.estimated_minutes, c.email, c.name, c.first_name,
               cr.clause_answers::text AS consent_answers, cr.given_at AS consent_given_at, cr.language AS consent_language,
               (cpv.document -> 'consent')::text AS consent_definition
        FROM messages m
        JOIN invitations i ON i.id = m.invitation_id
        JOIN participants p ON p.id = i.participant_id
        JOIN studies s ON s.id = i.study_id
        JOIN waves w ON w.id = i.wave_id
        LEFT JOIN contact_details c ON c.participant_id = p.id
        LEFT JOIN consent_records cr ON m.kind = 'consent_copy' AND cr.invitation_id = m.invitation_id AND cr.consent_version = m.step
        LEFT JOIN protocol_versions cpv ON cpv.id = cr.protocol_version_id
        WHERE m.status = 'queued' AND m.next_attempt_at <= @now AND s.status = 'active' AND w.status = 'active'
          AND (NOT p.schedule_stale OR {{StoppedForGood}})
        ORDER BY m.next_attempt_at, m.id
        LIMIT @batch
        FOR UPDATE OF m SKIP LOCKED
        """;

    /// <summary>
    /// A message of a participant waiting for a re-plan that may not be sent whatever the plan says
    /// (each of these makes <see cref="DispatchCandidate.CancelReason"/> non-null): the claim still
    /// takes it, to cancel it at once, as before.
    /// </summary>
    private const string StoppedForGood = """
        p.status <> 'active' OR p.opted_out_at IS NOT NULL OR p.undeliverable_at IS NOT NULL
        OR i.status NOT IN ('planned', 'sent', 'opened', 'in_progress')
        OR (m.kind IN ('reminder', 'last_chance') AND i.reminders_stopped_at IS NOT NULL)
        """;

    /// <summary>
    /// The claim's reads must walk the due messages in index order and look up the rest by key,
    /// whatever the statistics say. Right after a plan tick queued 100,000 emails, before the server
    /// has analysed them, the planner took the due set for a handful of rows and joined all of them
    /// and sorted (<c>ClaimCostTests</c> reads the pages a claim touches), and with other
    /// statistics it scanned every message for the daily cap. With sorts, scans, hash and merge joins
    /// and materialised inner sides out of the running for this transaction, the plans left are index
    /// lookups that stop after the batch.
    /// </summary>
    internal const string FollowTheIndexSql =
        "SET LOCAL enable_sort = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; "
        + "SET LOCAL enable_mergejoin = off; SET LOCAL enable_material = off";

    public static async Task<Claim> ClaimAsync(DbConnection connection, string relay, string node, MailOptions options, DateTime now,
        int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(FollowTheIndexSql, transaction: transaction);
        var candidates = (await connection.QueryAsync<DispatchCandidate>(CandidatesSql, new { now, batch = limit }, transaction)).ToList();
        if (candidates.Count == 0)
        {
            return new Claim([], 0, 0, null, 0);
        }
        var sentToday = await MailGate.SentRecentlyAsync(connection, transaction, candidates.Select(c => c.ParticipantId), now);
        var skips = await SupersededAsync(connection, transaction, candidates, now);
        var (cancels, defers, sendable) = Decide([.. candidates.Where(c => !skips.ContainsKey(c.Id))], sentToday, now);
        var (granted, nextFree) = await MailGate.QuotaAsync(connection, transaction, relay, sendable.Count, options, now);
        var sends = sendable.Take(granted).Select(c => new Granted(c, LinkTokens.Create(), LinkTokens.Create())).ToList();
        await StopAsync(connection, transaction, cancels, defers);
        await SkipAsync(connection, transaction, skips);
        await MarkSendingAsync(connection, transaction, sends, node, now + options.ClaimLease, now);
        await transaction.CommitAsync(cancellationToken);
        return new Claim(sends.Select(s => new ClaimedMessage(s.Candidate, s.Survey.Token, s.Unsubscribe.Token) { ClaimedAt = now }).ToList(), cancels.Count + skips.Count, defers.Count, granted < sendable.Count ? nextFree : null, candidates.Count);
    }

    /// <summary>Each candidate checked again now: cancelled, deferred (allowed hours, daily cap, reminder before its invitation) or sendable.</summary>
    private static (List<(long Id, string Reason)> Cancels, List<(long Id, DateTime At)> Defers, List<DispatchCandidate> Sendable) Decide(
        List<DispatchCandidate> candidates, List<(int ParticipantId, DateTime At)> sentToday, DateTime now)
    {
        var cancels = new List<(long Id, string Reason)>();
        var defers = new List<(long Id, DateTime At)>();
        var sendable = new List<DispatchCandidate>();
        var nowInstant = ScheduleMath.ToInstant(now);
        foreach (var candidate in candidates)
        {
            if (candidate.CancelReason(now) is string reason)
            {
                cancels.Add((candidate.Id, reason));
                continue;
            }
            var rules = candidate.Rules();
            var count = MailGate.SentToday(rules, sentToday, candidate.ParticipantId, nowInstant)
                + sendable.Count(s => s.ParticipantId == candidate.ParticipantId);
            // The copy of a consent answers what the participant just did: it goes at once and counts toward no daily cap.
            // A reminder never goes before the invitation it reminds of.
            DateTime? deferTo = candidate.Kind == MessageKind.ConsentCopy ? null
                : MailGate.HoldUntil(rules, nowInstant, count,
                    nextDay: candidate.Kind != MessageKind.Invitation && candidate.InvitationStatus == InvitationStatus.Planned);
            if (deferTo is DateTime at)
            {
                defers.Add((candidate.Id, at));
            }
            else
            {
                sendable.Add(candidate);
            }
        }
        return (cancels, defers, sendable);
    }

    /// <summary>
    /// Later steps of the batch's invitations that are due too, for the reminders and last chances
    /// of the batch: after an outage (nothing re-planned them) an invitation can have several
    /// reminders due at once. Only the latest goes; the earlier ones are skipped, keeping their step.
    /// </summary>
    internal const string LaterDueStepsSql = """
        SELECT invitation_id, kind, step, due_at FROM messages
        WHERE invitation_id = ANY(@invitations) AND kind IN ('reminder', 'last_chance') AND status = 'queued' AND due_at <= @now
        """;

    /// <summary>Reminder candidates another due step of the same invitation supersedes, with the reason; one query, none for a batch of invitations.</summary>
    private static async Task<Dictionary<long, string>> SupersededAsync(DbConnection connection, DbTransaction transaction,
        List<DispatchCandidate> candidates, DateTime now)
    {
        var reminders = candidates.Where(c => c.Kind is MessageKind.Reminder or MessageKind.LastChance).ToList();
        if (reminders.Count == 0)
        {
            return [];
        }
        var due = (await connection.QueryAsync<(long InvitationId, string Kind, int Step, DateTime DueAt)>(LaterDueStepsSql,
            new { now, invitations = reminders.Select(c => c.InvitationId).Distinct().ToArray() }, transaction)).ToLookup(d => d.InvitationId);
        var skips = new Dictionary<long, string>();
        foreach (var candidate in reminders)
        {
            var latest = due[candidate.InvitationId].Where(d => d.DueAt > candidate.DueAt).OrderBy(d => d.DueAt).LastOrDefault();
            if (latest.Kind is not null)
            {
                skips[candidate.Id] = ParticipantPlanner.SkippedReason(latest.Kind, latest.Step);
            }
        }
        return skips;
    }

    private static async Task SkipAsync(DbConnection connection, DbTransaction transaction, Dictionary<long, string> skips)
    {
        if (skips.Count > 0)
        {
            await connection.ExecuteAsync(
                """
                UPDATE messages m SET status = 'skipped', cancel_reason = x.r, claimed_by = NULL, claimed_until = NULL
                FROM unnest(@ids, @reasons) AS x(id, r) WHERE m.id = x.id
                """,
                new { ids = skips.Keys.ToArray(), reasons = skips.Values.ToArray() }, transaction);
        }
    }

    private static async Task StopAsync(DbConnection connection, DbTransaction transaction, List<(long Id, string Reason)> cancels,
        List<(long Id, DateTime At)> defers)
    {
        foreach (var group in cancels.GroupBy(c => c.Reason))
        {
            await connection.ExecuteAsync(
                "UPDATE messages SET status = 'cancelled', cancel_reason = @reason, claimed_by = NULL, claimed_until = NULL WHERE id = ANY(@ids)",
                new { reason = group.Key, ids = group.Select(c => c.Id).ToArray() }, transaction);
        }
        if (defers.Count > 0)
        {
            await connection.ExecuteAsync(
                "UPDATE messages m SET next_attempt_at = x.at FROM unnest(@ids, @ats) AS x(id, at) WHERE m.id = x.id",
                new { ids = defers.Select(d => d.Id).ToArray(), ats = defers.Select(d => d.At).ToArray() }, transaction);
        }
    }

    /// <summary>The granted messages become "sending" under the lease; only the hashes of their fresh link tokens are stored.</summary>
    private static async Task MarkSendingAsync(DbConnection connection, DbTransaction transaction, List<Granted> sends, string node,
        DateTime until, DateTime now)
    {
        if (sends.Count == 0)
        {
            return;
        }
        await connection.ExecuteAsync(
            """
            UPDATE messages SET status = 'sending', claimed_by = @node, claimed_until = @until WHERE id = ANY(@ids);
            INSERT INTO access_tokens (hash, invitation_id, purpose, created_at)
            SELECT h, i, p, @now FROM unnest(@hashes, @invitations, @purposes) AS x(h, i, p);
            """,
            new
            {
                node,
                now,
                until,
                ids = sends.Select(s => s.Candidate.Id).ToArray(),
                hashes = sends.SelectMany(s => new[] { s.Survey.Hash, s.Unsubscribe.Hash }).ToArray(),
                invitations = sends.SelectMany(s => new[] { s.Candidate.InvitationId, s.Candidate.InvitationId }).ToArray(),
                purposes = sends.SelectMany(_ => new[] { TokenPurpose.Survey, TokenPurpose.Unsubscribe }).ToArray(),
            }, transaction);
    }
}
