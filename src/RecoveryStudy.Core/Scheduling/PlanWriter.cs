using System.Data.Common;
using Dapper;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using RecoveryStudy.Data;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// Writes plans as differences against what is stored: new or changed invitations, new or
/// moved queued messages, and queued messages the plan no longer wants (cancelled with the
/// reason). Sent, failed and in-flight messages are never touched, so nothing is sent twice.
/// Reminder steps the planner passed over (after a pause or an outage) are marked 'skipped' with
/// why, or written as skipped rows when they had none, so step numbers keep their identity.
/// An email due after the queue horizon gets no row yet, nor does an invitation none of whose
/// emails is due within it: the participant's plan_again_at says when the plan job must come back.
/// Reminders and the last chance are queued once their invitation went out, from its real time.
/// Each kind of change is one set-based statement whatever the count: new messages by binary
/// COPY, everything else with arrays unnested.
/// </summary>
internal static class PlanWriter
{
    public const string ReplannedReason = "replanned";

    public sealed record ParticipantPlan(PlanState.ParticipantRow Participant, int StudyId, IReadOnlyList<PlannedInvitation> Plans, string? StopReason);

    public static async Task<PlanWriteCounts> WriteAsync(DbConnection connection, DbTransaction transaction, PlanState state,
        IReadOnlyList<ParticipantPlan> plans, Instant now, Instant horizon)
    {
        var nowUtc = now.ToDateTimeUtc();
        var invitationIds = new Dictionary<(int ParticipantId, int WaveId), long>();
        var upserts = new List<(int StudyId, int ParticipantId, PlannedInvitation Plan)>();
        var planAgainAt = new Dictionary<int, Instant?>();
        void Later(int participantId, Instant at)
        {
            if (planAgainAt.GetValueOrDefault(participantId) is not Instant first || at < first)
            {
                planAgainAt[participantId] = at;
            }
        }
        foreach (var plan in plans)
        {
            var existing = state.Invitations[plan.Participant.Id].ToDictionary(i => i.WaveId);
            foreach (var invitation in plan.Plans)
            {
                if (!existing.ContainsKey(invitation.WaveId) && invitation.Status == InvitationStatus.Planned
                    && (invitation.Emails.Count > 0 ? invitation.Emails.Min(e => e.DueAt) : invitation.OpensAt) is var first && first > horizon)
                {
                    // A wave months ahead: neither its invitation nor its emails are rows yet.
                    Later(plan.Participant.Id, first);
                    continue;
                }
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
        var fresh = upserts.Where(u => !invitationIds.ContainsKey((u.ParticipantId, u.Plan.WaveId))).ToList();
        var changed = upserts.Where(u => invitationIds.ContainsKey((u.ParticipantId, u.Plan.WaveId))).ToList();
        if (fresh.Count > 0)
        {
            // New invitations. No other writer can add one for these participants meanwhile: the
            // job holds their rows FOR UPDATE, which the foreign key's KEY SHARE lock of any other
            // insert (an answer import) waits for, and it read their invitations after taking them.
            // (ON CONFLICT would cost a speculative insertion per row for a case that cannot occur.)
            var rows = await connection.QueryAsync<(long Id, int ParticipantId, int WaveId)>(
                """
                INSERT INTO invitations (study_id, participant_id, wave_id, status, due_date, opens_at, closes_at, planned_at)
                SELECT s, p, w, st, d, o, c, @now
                FROM unnest(@studyIds, @participantIds, @waveIds, @statuses, @dueDates, @opens, @closes) AS x(s, p, w, st, d, o, c)
                RETURNING id, participant_id, wave_id
                """,
                new
                {
                    now = nowUtc,
                    studyIds = fresh.Select(u => u.StudyId).ToArray(),
                    participantIds = fresh.Select(u => u.ParticipantId).ToArray(),
                    waveIds = fresh.Select(u => u.Plan.WaveId).ToArray(),
                    statuses = fresh.Select(u => u.Plan.Status).ToArray(),
                    dueDates = fresh.Select(u => ScheduleMath.ToDateOnly(u.Plan.DueDate)).ToArray(),
                    opens = fresh.Select(u => u.Plan.OpensAt.ToDateTimeUtc()).ToArray(),
                    closes = fresh.Select(u => u.Plan.ClosesAt.ToDateTimeUtc()).ToArray(),
                }, transaction);
            foreach (var row in rows)
            {
                invitationIds[(row.ParticipantId, row.WaveId)] = row.Id;
            }
        }
        if (changed.Count > 0)
        {
            // Invitations not sent yet whose dates or status the plan changed; one sent meanwhile stays as it is,
            // and so does one whose email is on its way (it announces the window it was claimed with; given
            // back unsent, its participant is re-planned again).
            await connection.ExecuteAsync(
                """
                UPDATE invitations SET status = x.st, due_date = x.d, opens_at = x.o, closes_at = x.c, planned_at = @now
                FROM unnest(@ids, @statuses, @dueDates, @opens, @closes) AS x(id, st, d, o, c)
                WHERE invitations.id = x.id AND invitations.status IN ('planned', 'missed')
                  AND NOT EXISTS (SELECT FROM messages m WHERE m.invitation_id = invitations.id AND m.kind = 'invitation' AND m.status = 'sending')
                """,
                new
                {
                    now = nowUtc,
                    ids = changed.Select(u => invitationIds[(u.ParticipantId, u.Plan.WaveId)]).ToArray(),
                    statuses = changed.Select(u => u.Plan.Status).ToArray(),
                    dueDates = changed.Select(u => ScheduleMath.ToDateOnly(u.Plan.DueDate)).ToArray(),
                    opens = changed.Select(u => u.Plan.OpensAt.ToDateTimeUtc()).ToArray(),
                    closes = changed.Select(u => u.Plan.ClosesAt.ToDateTimeUtc()).ToArray(),
                }, transaction);
        }
        var added = new List<(long InvitationId, string Kind, int Step, DateTime DueAt)>();
        var moved = new List<(long Id, DateTime DueAt)>();
        var cancels = new List<(long Id, string Reason)>();
        var skips = new List<(long Id, string Reason)>();
        var skippedNew = new List<(long InvitationId, string Kind, int Step, DateTime DueAt, string Reason)>();
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
                    if (email.SkippedBecause is string why)
                    {
                        // A step passed over keeps its row (and so its number), marked skipped with why.
                        if (stored.TryGetValue((invitationId, email.Kind, email.Step), out var passed))
                        {
                            keep.Add(passed.Id);
                            if (passed.Status == MessageStatus.Queued || (passed.Status == MessageStatus.Cancelled && passed.CancelReason == ReplannedReason))
                            {
                                skips.Add((passed.Id, why));
                            }
                        }
                        else if (invitation.Status != InvitationStatus.Planned)
                        {
                            skippedNew.Add((invitationId, email.Kind, email.Step, email.DueAt.ToDateTimeUtc(), why));
                        }
                        continue;
                    }
                    if (stored.TryGetValue((invitationId, email.Kind, email.Step), out var message))
                    {
                        keep.Add(message.Id);
                        var revivable = message.Status == MessageStatus.Queued
                            || (message.Status == MessageStatus.Cancelled && message.CancelReason == ReplannedReason);
                        if (revivable && !(message.Status == MessageStatus.Queued && message.DueAt == email.DueAt))
                        {
                            moved.Add((message.Id, email.DueAt.ToDateTimeUtc()));
                        }
                        continue;
                    }
                    if (email.Kind != MessageKind.Invitation && invitation.Status == InvitationStatus.Planned)
                    {
                        // Reminders count from the invitation actually sent: once it went out the plan job finds
                        // it (sent_at set, reminders_planned_at not yet) and queues them then.
                        continue;
                    }
                    if (email.DueAt > horizon)
                    {
                        Later(plan.Participant.Id, email.DueAt);
                        continue;
                    }
                    added.Add((invitationId, email.Kind, email.Step, email.DueAt.ToDateTimeUtc()));
                }
            }
            var invitations = state.Invitations[plan.Participant.Id].ToDictionary(i => i.Id);
            foreach (var message in stored.Values.Where(m => m.Status == MessageStatus.Queued && !keep.Contains(m.Id)))
            {
                cancels.Add((message.Id, CancelReason(plan, invitations.GetValueOrDefault(message.InvitationId))));
            }
        }
        foreach (var participantId in planAgainAt.Keys.ToList())
        {
            planAgainAt[participantId] -= horizon - now;
        }
        if (added.Count > 0)
        {
            await CopyNewMessagesAsync((NpgsqlConnection)connection, added, nowUtc);
        }
        if (moved.Count > 0)
        {
            // Moved, or wanted again after a re-plan had cancelled them; never a message claimed, sent or failed meanwhile.
            await connection.ExecuteAsync(
                """
                UPDATE messages SET due_at = x.d, next_attempt_at = x.d, status = 'queued', cancel_reason = NULL
                FROM unnest(@ids, @dueAts) AS x(id, d)
                WHERE messages.id = x.id
                  AND (messages.status = 'queued' OR (messages.status = 'cancelled' AND messages.cancel_reason = @replanned))
                """,
                new { replanned = ReplannedReason, ids = moved.Select(m => m.Id).ToArray(), dueAts = moved.Select(m => m.DueAt).ToArray() },
                transaction);
        }
        if (skips.Count > 0)
        {
            // Queued (or cancelled by an earlier re-plan) and passed over now; never one claimed or sent meanwhile.
            await connection.ExecuteAsync(
                """
                UPDATE messages SET status = 'skipped', cancel_reason = x.r
                FROM unnest(@ids, @reasons) AS x(id, r)
                WHERE messages.id = x.id
                  AND (messages.status = 'queued' OR (messages.status = 'cancelled' AND messages.cancel_reason = @replanned))
                """,
                new { replanned = ReplannedReason, ids = skips.Select(s => s.Id).ToArray(), reasons = skips.Select(s => s.Reason).ToArray() },
                transaction);
        }
        if (skippedNew.Count > 0)
        {
            // Steps passed over before they had a row (a long outage): recorded so the numbering shows no gap.
            await connection.ExecuteAsync(
                """
                INSERT INTO messages (invitation_id, kind, step, status, due_at, next_attempt_at, attempts, unknown_outcomes, cancel_reason, created_at)
                SELECT i, k, s, 'skipped', d, d, 0, 0, r, @now
                FROM unnest(@invitations, @kinds, @steps, @dueAts, @reasons) AS x(i, k, s, d, r)
                """,
                new
                {
                    now = nowUtc,
                    invitations = skippedNew.Select(s => s.InvitationId).ToArray(),
                    kinds = skippedNew.Select(s => s.Kind).ToArray(),
                    steps = skippedNew.Select(s => s.Step).ToArray(),
                    dueAts = skippedNew.Select(s => s.DueAt).ToArray(),
                    reasons = skippedNew.Select(s => s.Reason).ToArray(),
                }, transaction);
        }
        foreach (var group in cancels.GroupBy(c => c.Reason))
        {
            await connection.ExecuteAsync(
                "UPDATE messages SET status = 'cancelled', cancel_reason = @reason WHERE id = ANY(@ids) AND status = 'queued'",
                new { reason = group.Key, ids = group.Select(c => c.Id).ToArray() }, transaction);
        }
        return new PlanWriteCounts(upserts.Count, added.Count + moved.Count, cancels.Count, planAgainAt)
        {
            Queued = added.Count,
            Skipped = skips.Count + skippedNew.Count,
        };
    }

    /// <summary>
    /// Messages the plan wants and the participant has none of yet, written with binary COPY
    /// (the bulk of a plan tick: several per invitation). No conflict is possible: the plan job
    /// holds the participant's row lock and read their messages after taking it, and nothing
    /// else queues planned emails; should the unique index still object, the transaction fails
    /// and the job's retry re-plans from what is stored.
    /// </summary>
    private static async Task CopyNewMessagesAsync(NpgsqlConnection connection, List<(long InvitationId, string Kind, int Step, DateTime DueAt)> rows,
        DateTime nowUtc)
    {
        await using var import = await connection.BeginBinaryImportAsync(
            "COPY messages (invitation_id, kind, step, status, due_at, next_attempt_at, attempts, unknown_outcomes, created_at) FROM STDIN (FORMAT BINARY)");
        foreach (var (invitationId, kind, step, dueAt) in rows)
        {
            await import.StartRowAsync();
            await import.WriteAsync(invitationId, NpgsqlDbType.Bigint);
            await import.WriteAsync(kind, NpgsqlDbType.Varchar);
            await import.WriteAsync(step, NpgsqlDbType.Integer);
            await import.WriteAsync(MessageStatus.Queued, NpgsqlDbType.Varchar);
            await import.WriteAsync(dueAt, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(dueAt, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(0, NpgsqlDbType.Integer);
            await import.WriteAsync(0, NpgsqlDbType.Integer);
            await import.WriteAsync(nowUtc, NpgsqlDbType.TimestampTz);
        }
        await import.CompleteAsync();
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

/// <summary>What one planning pass changed, and when each participant's not yet queued emails come within the horizon.</summary>
public sealed record PlanWriteCounts(int Invitations, int Messages, int Cancelled, IReadOnlyDictionary<int, Instant?> PlanAgainAt)
{
    /// <summary>Of <see cref="Messages"/>, the new rows (the rest were moved).</summary>
    public int Queued { get; init; }

    /// <summary>Reminder steps passed over (recorded as 'skipped'), apart from <see cref="Messages"/> and <see cref="Cancelled"/>.</summary>
    public int Skipped { get; init; }
}
