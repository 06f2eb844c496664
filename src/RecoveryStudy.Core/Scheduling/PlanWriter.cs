using System.Data.Common;
using Dapper;
using NodaTime;
using RecoveryStudy.Data;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// Writes plans as differences against what is stored: new or changed invitations, new or
/// moved queued messages, and queued messages the plan no longer wants (cancelled with the
/// reason). Sent, failed and in-flight messages are never touched, so nothing is sent twice.
/// Each kind of change is one set-based statement (arrays unnested), whatever the count.
/// </summary>
internal static class PlanWriter
{
    public const string ReplannedReason = "replanned";

    public sealed record ParticipantPlan(PlanState.ParticipantRow Participant, int StudyId, IReadOnlyList<PlannedInvitation> Plans, string? StopReason);

    public static async Task<PlanWriteCounts> WriteAsync(DbConnection connection, DbTransaction transaction, PlanState state,
        IReadOnlyList<ParticipantPlan> plans, Instant now)
    {
        var nowUtc = now.ToDateTimeUtc();
        var invitationIds = new Dictionary<(int ParticipantId, int WaveId), long>();
        var upserts = new List<(int StudyId, int ParticipantId, PlannedInvitation Plan)>();
        foreach (var plan in plans)
        {
            var existing = state.Invitations[plan.Participant.Id].ToDictionary(i => i.WaveId);
            foreach (var invitation in plan.Plans)
            {
                if (existing.TryGetValue(invitation.WaveId, out var stored))
                {
                    invitationIds[(plan.Participant.Id, invitation.WaveId)] = stored.Id;
                    if (stored.Status is not (InvitationStatus.Planned or InvitationStatus.Missed) || SameAs(stored, invitation))
                    {
                        continue;
                    }
                }
                upserts.Add((plan.StudyId, plan.Participant.Id, invitation));
            }
        }
        if (upserts.Count > 0)
        {
            var rows = await connection.QueryAsync<(long Id, int ParticipantId, int WaveId)>(
                """
                INSERT INTO invitations (study_id, participant_id, wave_id, status, due_date, opens_at, closes_at, planned_at)
                SELECT s, p, w, st, d, o, c, @now
                FROM unnest(@studyIds, @participantIds, @waveIds, @statuses, @dueDates, @opens, @closes) AS x(s, p, w, st, d, o, c)
                ON CONFLICT (participant_id, wave_id) DO UPDATE
                SET status = EXCLUDED.status, due_date = EXCLUDED.due_date, opens_at = EXCLUDED.opens_at,
                    closes_at = EXCLUDED.closes_at, planned_at = EXCLUDED.planned_at
                WHERE invitations.status IN ('planned', 'missed')
                RETURNING id, participant_id, wave_id
                """,
                new
                {
                    now = nowUtc,
                    studyIds = upserts.Select(u => u.StudyId).ToArray(),
                    participantIds = upserts.Select(u => u.ParticipantId).ToArray(),
                    waveIds = upserts.Select(u => u.Plan.WaveId).ToArray(),
                    statuses = upserts.Select(u => u.Plan.Status).ToArray(),
                    dueDates = upserts.Select(u => ScheduleMath.ToDateOnly(u.Plan.DueDate)).ToArray(),
                    opens = upserts.Select(u => u.Plan.OpensAt.ToDateTimeUtc()).ToArray(),
                    closes = upserts.Select(u => u.Plan.ClosesAt.ToDateTimeUtc()).ToArray(),
                }, transaction);
            foreach (var row in rows)
            {
                invitationIds[(row.ParticipantId, row.WaveId)] = row.Id;
            }
        }

        var wanted = new List<(long InvitationId, string Kind, int Step, DateTime DueAt)>();
        var cancels = new List<(long Id, string Reason)>();
        foreach (var plan in plans)
        {
            var stored = state.Messages[plan.Participant.Id].ToDictionary(m => (m.InvitationId, m.Kind, m.Step));
            var keep = new HashSet<long>();
            foreach (var invitation in plan.Plans)
            {
                if (!invitationIds.TryGetValue((plan.Participant.Id, invitation.WaveId), out var invitationId))
                {
                    continue;
                }
                foreach (var email in invitation.Emails.Where(e => e.SentAt is null))
                {
                    if (stored.TryGetValue((invitationId, email.Kind, email.Step), out var message))
                    {
                        keep.Add(message.Id);
                        var revivable = message.Status == MessageStatus.Queued
                            || (message.Status == MessageStatus.Cancelled && message.CancelReason == ReplannedReason);
                        if (!revivable || (message.Status == MessageStatus.Queued && message.DueAt == email.DueAt))
                        {
                            continue;
                        }
                    }
                    wanted.Add((invitationId, email.Kind, email.Step, email.DueAt.ToDateTimeUtc()));
                }
            }
            var invitations = state.Invitations[plan.Participant.Id].ToDictionary(i => i.Id);
            foreach (var message in stored.Values.Where(m => m.Status == MessageStatus.Queued && !keep.Contains(m.Id)))
            {
                cancels.Add((message.Id, CancelReason(plan, invitations.GetValueOrDefault(message.InvitationId))));
            }
        }
        if (wanted.Count > 0)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO messages (invitation_id, kind, step, status, due_at, next_attempt_at, attempts, unknown_outcomes, created_at)
                SELECT i, k, s, 'queued', d, d, 0, 0, @now FROM unnest(@invitationIds, @kinds, @steps, @dueAts) AS x(i, k, s, d)
                ON CONFLICT (invitation_id, kind, step) DO UPDATE
                SET due_at = EXCLUDED.due_at, next_attempt_at = EXCLUDED.next_attempt_at, status = 'queued', cancel_reason = NULL
                WHERE messages.status = 'queued' OR (messages.status = 'cancelled' AND messages.cancel_reason = @replanned)
                """,
                new
                {
                    now = nowUtc,
                    replanned = ReplannedReason,
                    invitationIds = wanted.Select(w => w.InvitationId).ToArray(),
                    kinds = wanted.Select(w => w.Kind).ToArray(),
                    steps = wanted.Select(w => w.Step).ToArray(),
                    dueAts = wanted.Select(w => w.DueAt).ToArray(),
                }, transaction);
        }
        foreach (var group in cancels.GroupBy(c => c.Reason))
        {
            await connection.ExecuteAsync(
                "UPDATE messages SET status = 'cancelled', cancel_reason = @reason WHERE id = ANY(@ids) AND status = 'queued'",
                new { reason = group.Key, ids = group.Select(c => c.Id).ToArray() }, transaction);
        }
        return new PlanWriteCounts(upserts.Count, wanted.Count, cancels.Count);
    }

    private static bool SameAs(ExistingInvitation stored, PlannedInvitation plan) =>
        stored.Status == plan.Status && stored.DueDate == plan.DueDate && stored.OpensAt == plan.OpensAt && stored.ClosesAt == plan.ClosesAt;

    private static string CancelReason(ParticipantPlan plan, ExistingInvitation? invitation) =>
        plan.StopReason
        ?? plan.Participant.NoEmailReason
        ?? (invitation is not null && !InvitationStatus.Open.Contains(invitation.Status) ? "invitation_" + invitation.Status
            : invitation is { RemindersStopped: true } ? "reminders_stopped"
            : ReplannedReason);
}

/// <summary>What one planning pass changed.</summary>
public sealed record PlanWriteCounts(int Invitations, int Messages, int Cancelled);
