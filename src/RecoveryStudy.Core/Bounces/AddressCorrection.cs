using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using RecoveryStudy.Data;

namespace RecoveryStudy.Bounces;

/// <summary>
/// After staff corrected the address of a participant flagged undeliverable (a bounce or a 5xx):
/// every invitation inside its window that went to the wrong address and was not started (or that
/// the flag closed) is planned again from the start: its links are revoked (a link that went to the
/// wrong address stops working), and its emails are handed back to the planner as "replanned", so
/// the next plan tick queues the invitation with a fresh link and its reminders as for any invitation.
/// Runs inside the caller's transaction; returns how many invitations go out again.
/// </summary>
public static class AddressCorrection
{
    public static async Task<int> ReplanAsync(StudyDbContext db, int participantId, DateTime now, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            WITH again AS (
                UPDATE invitations SET status = 'planned', sent_at = NULL, reminders_planned_at = NULL
                WHERE participant_id = @participantId AND closes_at > @now AND sent_at IS NOT NULL
                  AND status IN ('sent', 'opened', 'undeliverable')
                RETURNING id),
            revoked AS (
                UPDATE access_tokens SET revoked_at = @now WHERE invitation_id IN (SELECT id FROM again) AND revoked_at IS NULL),
            handed_back AS (
                UPDATE messages SET status = 'cancelled', cancel_reason = 'replanned', sent_at = NULL, attempts = 0, last_error = NULL,
                       failed_at = NULL, claimed_by = NULL, claimed_until = NULL
                WHERE invitation_id IN (SELECT id FROM again) AND status IN ('sent', 'queued', 'cancelled', 'failed')),
            stale AS (
                UPDATE participants SET schedule_stale = true WHERE id = @participantId)
            SELECT count(*)::int FROM again
            """, new { participantId, now }, transaction, cancellationToken: ct));
    }
}
