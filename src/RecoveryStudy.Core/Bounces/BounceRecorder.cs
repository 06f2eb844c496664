using System.Data.Common;
using Dapper;
using RecoveryStudy.Data;

namespace RecoveryStudy.Bounces;

/// <summary>
/// Stores one reading and applies what it means, in one transaction: a hard bounce (or the
/// configured number of soft bounces in a row) flags the participant undeliverable as a 5xx
/// refusal during sending does (their open invitation of that email becomes undeliverable, queued
/// email is cancelled, the dashboard warns); a complaint opts them out of all email. A report
/// already stored (same content) changes nothing, so a run repeated after a crash is harmless.
/// </summary>
public static class BounceRecorder
{
    /// <summary>What recording did: the kind the report was taken for, false when it was stored before, the participant it is about.</summary>
    public sealed record Recorded(string Kind, bool New, int? ParticipantId, bool Undeliverable, bool OptedOut);

    private sealed record Target(int ParticipantId, int StudyId, long InvitationId);

    public static async Task<Recorded> RecordAsync(DbConnection connection, BounceReading reading, string sourceHash, int softInARow, DateTime now)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var target = reading.MessageId is { } id
            ? await connection.QuerySingleOrDefaultAsync<Target>(
                """
                SELECT i.participant_id AS ParticipantId, i.study_id AS StudyId, i.id AS InvitationId
                FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE m.id = @id
                FOR NO KEY UPDATE OF i
                """, new { id }, transaction)
            : null;
        // A valid address whose email was deleted since (the study, the participant): kept, affects no one.
        var kind = target is null && reading.MessageId is not null ? BounceKind.Unparsed : reading.Kind;
        var inserted = await connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO bounce_reports (received_at, source_hash, kind, message_id, participant_id, study_id, status, detail)
            VALUES (@now, @sourceHash, @kind, @messageId, @participantId, @studyId, @status, @detail)
            ON CONFLICT (source_hash) DO NOTHING RETURNING id
            """,
            new
            {
                now, sourceHash, kind, messageId = target is null ? null : reading.MessageId, participantId = target?.ParticipantId,
                studyId = target?.StudyId, status = reading.Status, detail = reading.Detail,
            }, transaction);
        if (inserted is null || target is null)
        {
            await transaction.CommitAsync();
            return new Recorded(kind, inserted is not null, target?.ParticipantId, false, false);
        }
        var undeliverable = kind == BounceKind.Hard
            || (kind == BounceKind.Soft && await SoftInARowAsync(connection, transaction, target.ParticipantId, softInARow));
        if (undeliverable)
        {
            await UndeliverableAsync(connection, transaction, target, kind, reading.Status, now);
        }
        if (kind == BounceKind.Complaint)
        {
            await OptOutAsync(connection, transaction, target, now);
        }
        await transaction.CommitAsync();
        return new Recorded(kind, true, target.ParticipantId, undeliverable, kind == BounceKind.Complaint);
    }

    /// <summary>True when each of the participant's last <paramref name="count"/> sent emails came back with a soft bounce.</summary>
    private static Task<bool> SoftInARowAsync(DbConnection connection, DbTransaction transaction, int participantId, int count) =>
        connection.ExecuteScalarAsync<bool>(
            """
            SELECT count(*) = @count AND bool_and(EXISTS (
                       SELECT 1 FROM bounce_reports b WHERE b.message_id = last.id AND b.kind = 'soft'))
            FROM (SELECT m.id FROM messages m JOIN invitations i ON i.id = m.invitation_id
                  WHERE i.participant_id = @participantId AND m.status = 'sent'
                  ORDER BY m.sent_at DESC, m.id DESC LIMIT @count) last
            """, new { participantId, count }, transaction);

    private static Task UndeliverableAsync(DbConnection connection, DbTransaction transaction, Target target, string kind, string? status, DateTime now) =>
        connection.ExecuteAsync(
            $"""
            UPDATE participants SET undeliverable_at = coalesce(undeliverable_at, @now), updated_at = @now WHERE id = @participantId;
            UPDATE invitations SET status = 'undeliverable' WHERE id = @invitationId AND status IN ({InvitationStatus.OpenSqlList});
            UPDATE messages SET status = 'cancelled', cancel_reason = 'undeliverable'
            WHERE status = 'queued' AND invitation_id IN (SELECT id FROM invitations WHERE participant_id = @participantId);
            INSERT INTO audit_entries (at, actor_kind, action, study_id, target_type, target_id, details)
            VALUES (@now, 'system', 'participant.bounced', @studyId, 'participant', @participantId::text, jsonb_build_object('kind', @kind, 'status', @status));
            """, new { target.ParticipantId, target.InvitationId, target.StudyId, kind, status, now }, transaction);

    private static Task OptOutAsync(DbConnection connection, DbTransaction transaction, Target target, DateTime now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO audit_entries (at, actor_kind, action, study_id, target_type, target_id, details)
            SELECT @now, 'system', 'participant.opt_out', @studyId, 'participant', @participantId::text, '{"source": "complaint"}'::jsonb
            FROM participants WHERE id = @participantId AND opted_out_at IS NULL;
            UPDATE participants SET opted_out_at = coalesce(opted_out_at, @now), updated_at = @now WHERE id = @participantId;
            UPDATE messages SET status = 'cancelled', cancel_reason = 'opted_out'
            WHERE status = 'queued' AND invitation_id IN (SELECT id FROM invitations WHERE participant_id = @participantId);
            """, new { target.ParticipantId, target.StudyId, now }, transaction);
}
