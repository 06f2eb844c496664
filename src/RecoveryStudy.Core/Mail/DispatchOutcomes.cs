using System.Data.Common;
using Dapper;

namespace RecoveryStudy.Mail;

/// <summary>
/// The statements that record send outcomes (written by <see cref="RecordStage"/>, in the order sent).
/// Every update is guarded by the claim (claimed_by), so a late writer whose lease ran out and
/// whose batch went to another node cannot overwrite that node's outcome.
/// </summary>
internal static class DispatchOutcomes
{
    /// <summary>Sent messages, any number in one statement; an invitation email also marks its invitation sent.</summary>
    public static Task SentAsync(DbConnection connection, IReadOnlyList<(long Id, string SmtpMessageId, DateTime At)> sent, string node) =>
        connection.ExecuteAsync(
            """
            WITH sent AS (
                UPDATE messages SET status = 'sent', sent_at = x.at, smtp_message_id = x.smtp_id, attempts = attempts + 1,
                       last_error = NULL, claimed_by = NULL, claimed_until = NULL
                FROM unnest(@ids, @smtpIds, @ats) AS x(id, smtp_id, at)
                WHERE messages.id = x.id AND messages.claimed_by = @node AND messages.status IN ('sending', 'queued')
                RETURNING messages.invitation_id, messages.kind, x.at)
            UPDATE invitations SET status = 'sent', sent_at = sent.at
            FROM sent WHERE invitations.id = sent.invitation_id AND sent.kind = 'invitation' AND invitations.status = 'planned'
            """,
            new
            {
                node,
                ids = sent.Select(s => s.Id).ToArray(),
                smtpIds = sent.Select(s => s.SmtpMessageId).ToArray(),
                ats = sent.Select(s => s.At).ToArray(),
            });

    /// <summary>4xx, a lost connection or an unknown outcome: back to the queue with exponential backoff, or failed at the limit.</summary>
    public static Task RetryOrFailAsync(DbConnection connection, long id, string node, int attemptsBefore, bool unknown, string reply,
        MailOptions options, DateTime now)
    {
        var attempts = attemptsBefore + 1;
        var delay = TimeSpan.FromTicks(Math.Min(options.RetryMaxDelay.Ticks,
            options.RetryBaseDelay.Ticks * (long)Math.Pow(2, Math.Min(attempts - 1, 30))));
        return connection.ExecuteAsync(
            """
            UPDATE messages
            SET attempts = attempts + 1, unknown_outcomes = unknown_outcomes + @unknown, last_error = @reply,
                status = CASE WHEN @failed THEN 'failed' ELSE 'queued' END,
                failed_at = CASE WHEN @failed THEN @now ELSE NULL END,
                next_attempt_at = @next, claimed_by = NULL, claimed_until = NULL
            WHERE id = @id AND claimed_by = @node AND status IN ('sending', 'queued')
            """,
            new { id, node, unknown = unknown ? 1 : 0, reply = Redact(reply), failed = attempts >= options.MaxAttempts, now, next = now + delay });
    }

    /// <summary>5xx not about the recipient: this message will never be taken.</summary>
    public static Task RejectedAsync(DbConnection connection, long id, string node, string reply, DateTime now) =>
        connection.ExecuteAsync(
            """
            UPDATE messages SET status = 'failed', failed_at = @now, attempts = attempts + 1, last_error = @reply,
                   claimed_by = NULL, claimed_until = NULL
            WHERE id = @id AND claimed_by = @node AND status IN ('sending', 'queued')
            """, new { id, node, reply = Redact(reply), now });

    /// <summary>
    /// 5xx for the recipient: the message failed, the participant's address is flagged
    /// undeliverable (researchers see it), the invitation becomes undeliverable and nothing
    /// else queued for the participant goes out.
    /// </summary>
    public static async Task UndeliverableAsync(DbConnection connection, long id, string node, int participantId, long invitationId,
        string reply, DateTime now)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            $"""
            UPDATE messages SET status = 'failed', failed_at = @now, attempts = attempts + 1, last_error = @reply,
                   claimed_by = NULL, claimed_until = NULL
            WHERE id = @id AND claimed_by = @node AND status IN ('sending', 'queued');
            UPDATE participants SET undeliverable_at = coalesce(undeliverable_at, @now), updated_at = @now WHERE id = @participantId;
            UPDATE invitations SET status = 'undeliverable'
            WHERE id = @invitationId AND status IN ({Data.InvitationStatus.OpenSqlList});
            UPDATE messages SET status = 'cancelled', cancel_reason = 'undeliverable'
            WHERE status = 'queued' AND invitation_id IN (SELECT id FROM invitations WHERE participant_id = @participantId);
            """, new { id, node, participantId, invitationId, reply = Redact(reply), now }, transaction);
        await transaction.CommitAsync();
    }

    /// <summary>Not tried (the relay could not be reached): back to the queue without counting an attempt.</summary>
    public static Task ReleaseAsync(DbConnection connection, IEnumerable<long> ids, string node, string reason, DateTime next) =>
        connection.ExecuteAsync(
            """
            UPDATE messages SET status = 'queued', next_attempt_at = @next, last_error = @reason, claimed_by = NULL, claimed_until = NULL
            WHERE id = ANY(@ids) AND claimed_by = @node AND status = 'sending'
            """, new { ids = ids.ToArray(), node, reason = Redact(reason), next });

    /// <summary>
    /// The session settings of a batch's outcome writes. Commits do not wait for the disk: only a
    /// crash of the database server itself could lose the last few outcomes, and those emails would
    /// go out once more (at least once, as ever); the claim, which stores the link tokens, is durable.
    /// Generic plans: the outcome statements have one shape whatever their values, yet the server
    /// re-plans a statement with an array of unknown length on every run (bench/README.md).
    /// </summary>
    public static Task BatchSessionAsync(DbConnection connection, bool on) =>
        connection.ExecuteAsync(on
            ? "SET synchronous_commit = off; SET plan_cache_mode = force_generic_plan"
            : "RESET synchronous_commit; RESET plan_cache_mode");

    /// <summary>Claims whose dispatcher stopped (crash, kill) go back to the queue when their lease ran out.</summary>
    public static Task<int> ReapExpiredClaimsAsync(DbConnection connection, DateTime now) =>
        connection.ExecuteAsync(
            """
            UPDATE messages SET status = 'queued', claimed_until = NULL, last_error = 'claim expired: the dispatcher stopped'
            WHERE status = 'sending' AND claimed_until < @now
            """, new { now });

    public static Task RelayStateAsync(DbConnection connection, string relay, bool reachable, string? error, DateTime now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO mail_relays (name, next_free_at) VALUES (@relay, @now) ON CONFLICT (name) DO NOTHING;
            UPDATE mail_relays
            SET unreachable_since = CASE WHEN @reachable THEN NULL ELSE coalesce(unreachable_since, @now) END,
                last_connected_at = CASE WHEN @reachable THEN @now ELSE last_connected_at END,
                last_error = CASE WHEN @reachable THEN last_error ELSE @error END
            WHERE name = @relay
            """, new { relay, reachable, error = error is null ? null : Redact(error), now });

    /// <summary>
    /// A second pass over what is stored and logged: the transport removed the recipient itself
    /// (<see cref="ReplyRedaction"/>); anything else shaped like an address goes here.
    /// </summary>
    public static string Redact(string text) => ReplyRedaction.Redact(text);
}
