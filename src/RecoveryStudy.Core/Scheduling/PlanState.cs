using System.Data.Common;
using Dapper;
using NodaTime;
using RecoveryStudy.Data;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// Everything the planner needs for a set of participants, read in a handful of set-based
/// queries (one per table), whatever the number of participants.
/// </summary>
public sealed class PlanState
{
    public required IReadOnlyList<ParticipantRow> Participants { get; init; }
    public required IReadOnlyDictionary<int, StudyRow> Studies { get; init; }
    public required ILookup<int, PlanWave> WavesByStudy { get; init; }
    public required ILookup<int, (string Name, LocalDate Date)> ParticipantAnchors { get; init; }
    public required ILookup<int, (string Name, LocalDate Date)> CohortAnchors { get; init; }
    public required ILookup<int, ExistingInvitation> Invitations { get; init; }
    public required ILookup<int, ExistingMessage> Messages { get; init; }

    /// <summary>The participant columns the planner reads, for queries that select participants (the plan job's claim).</summary>
    public const string ParticipantColumns = "id, study_id, cohort_id, role, time_zone, enrolled_on, status, opted_out_at, undeliverable_at, flags";

    public static async Task<PlanState> LoadAsync(DbConnection connection, DbTransaction? transaction, int[] participantIds)
    {
        var participants = (await connection.QueryAsync<ParticipantRow>(
            $"SELECT {ParticipantColumns} FROM participants WHERE id = ANY(@participantIds) ORDER BY id",
            new { participantIds }, transaction)).ToList();
        return await LoadAsync(connection, transaction, participants);
    }

    /// <summary>The rest of the state, for participant rows already read.</summary>
    public static async Task<PlanState> LoadAsync(DbConnection connection, DbTransaction? transaction, List<ParticipantRow> participants)
    {
        var participantIds = participants.Select(p => p.Id).ToArray();
        var studyIds = participants.Select(p => p.StudyId).Distinct().ToArray();
        var cohortIds = participants.Where(p => p.CohortId is not null).Select(p => p.CohortId!.Value).Distinct().ToArray();

        var studies = (await connection.QueryAsync<StudyRow>(
            """
            SELECT id, status, time_zone, send_time, send_hours_start, send_hours_end, send_days, max_emails_per_participant_per_day
            FROM studies WHERE id = ANY(@studyIds)
            """, new { studyIds }, transaction)).ToDictionary(s => s.Id);
        var waves = await connection.QueryAsync<WaveRow>(
            """
            SELECT id, study_id, code, anchor, offset_value, offset_unit, window_opens_days, window_closes_days,
                   roles, reminder_days, last_chance_days_before, kind, requires_flag
            FROM waves WHERE study_id = ANY(@studyIds) ORDER BY study_id, position, id
            """, new { studyIds }, transaction);
        // A participant's own date for a team-only anchor (one given before the protocol made it so) never counts.
        var participantAnchors = await connection.QueryAsync<AnchorRow>(
            """
            SELECT pa.participant_id AS owner_id, pa.name, pa.date
            FROM participant_anchors pa
            JOIN participants p ON p.id = pa.participant_id
            JOIN studies s ON s.id = p.study_id
            WHERE pa.participant_id = ANY(@participantIds)
              AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(s.anchors) a WHERE a->>'code' = pa.name AND a->>'scope' = 'team')
            """,
            new { participantIds }, transaction);
        var cohortAnchors = await connection.QueryAsync<AnchorRow>(
            "SELECT cohort_id AS owner_id, name, date FROM cohort_anchors WHERE cohort_id = ANY(@cohortIds)",
            new { cohortIds }, transaction);
        var invitations = (await connection.QueryAsync<InvitationRow>(
            """
            SELECT id, participant_id, wave_id, status, due_date, opens_at, closes_at, sent_at, reminders_stopped_at
            FROM invitations WHERE participant_id = ANY(@participantIds)
            """, new { participantIds }, transaction)).ToList();
        // Messages belong to invitations: participants who have none (new ones) need no second probe.
        var messages = invitations.Count == 0 ? [] : await connection.QueryAsync<MessageRow>(
            """
            SELECT m.id, m.invitation_id, i.participant_id, m.kind, m.step, m.status, m.due_at, m.sent_at, m.cancel_reason
            FROM messages m JOIN invitations i ON i.id = m.invitation_id
            WHERE i.participant_id = ANY(@participantIds) AND m.kind <> 'consent_copy'
            """, new { participantIds = invitations.Select(i => i.ParticipantId).Distinct().ToArray() }, transaction);

        return new PlanState
        {
            Participants = participants,
            Studies = studies,
            WavesByStudy = waves.ToLookup(w => w.StudyId, w => w.ToPlanWave()),
            ParticipantAnchors = participantAnchors.ToLookup(a => a.OwnerId, a => (a.Name, ScheduleMath.ToLocalDate(DateOnly.FromDateTime(a.Date)))),
            CohortAnchors = cohortAnchors.ToLookup(a => a.OwnerId, a => (a.Name, ScheduleMath.ToLocalDate(DateOnly.FromDateTime(a.Date)))),
            Invitations = invitations.ToLookup(i => i.ParticipantId, i => i.ToExisting()),
            Messages = messages.ToLookup(m => m.ParticipantId, m => m.ToExisting()),
        };
    }

    /// <summary>The planner's view of one participant: own anchors over the cohort's, the study's rules in their zone.</summary>
    public PlanParticipant ToPlanParticipant(ParticipantRow row)
    {
        var anchors = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
        if (row.CohortId is int cohortId)
        {
            foreach (var (name, date) in CohortAnchors[cohortId])
            {
                anchors[name] = date;
            }
        }
        foreach (var (name, date) in ParticipantAnchors[row.Id])
        {
            anchors[name] = date;
        }
        var study = Studies[row.StudyId];
        return new PlanParticipant(row.Id, row.Role, ScheduleMath.ToLocalDate(DateOnly.FromDateTime(row.EnrolledOn)), anchors,
            study.RulesFor(row.TimeZone), row.NoEmailReason, row.Flags);
    }

    public sealed class ParticipantRow
    {
        public int Id { get; init; }
        public int StudyId { get; init; }
        public int? CohortId { get; init; }
        public string Role { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public DateTime EnrolledOn { get; init; }
        public string Status { get; init; } = "";
        public DateTime? OptedOutAt { get; init; }
        public DateTime? UndeliverableAt { get; init; }
        public string[] Flags { get; init; } = [];

        /// <summary>Why no email may go to this participant at all, or null.</summary>
        public string? NoEmailReason => ParticipantMail.NoEmailReason(Status, OptedOutAt, UndeliverableAt);
    }

    public sealed class StudyRow
    {
        public int Id { get; init; }
        public string Status { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public TimeSpan SendTime { get; init; }
        public TimeSpan SendHoursStart { get; init; }
        public TimeSpan SendHoursEnd { get; init; }
        public int[] SendDays { get; init; } = [];
        public int MaxEmailsPerParticipantPerDay { get; init; }

        private readonly Dictionary<string, SendRules> rulesByZone = new(StringComparer.Ordinal);

        /// <summary>The rules in one participant time zone; built once per zone (they are immutable), not per participant.</summary>
        public SendRules RulesFor(string participantTimeZone)
        {
            if (!rulesByZone.TryGetValue(participantTimeZone, out var rules))
            {
                rules = SendRules.For(participantTimeZone, TimeZone, SendTime, SendHoursStart, SendHoursEnd, SendDays, MaxEmailsPerParticipantPerDay);
                rulesByZone[participantTimeZone] = rules;
            }
            return rules;
        }
    }

    private sealed class WaveRow
    {
        public int Id { get; init; }
        public int StudyId { get; init; }
        public string Code { get; init; } = "";
        public string Anchor { get; init; } = "";
        public int OffsetValue { get; init; }
        public string OffsetUnit { get; init; } = "";
        public int WindowOpensDays { get; init; }
        public int WindowClosesDays { get; init; }
        public string[] Roles { get; init; } = [];
        public int[] ReminderDays { get; init; } = [];
        public int? LastChanceDaysBefore { get; init; }
        public string Kind { get; init; } = "";
        public string? RequiresFlag { get; init; }

        public PlanWave ToPlanWave() => new(Id, Code, Anchor, OffsetValue, OffsetUnit, WindowOpensDays, WindowClosesDays,
            Roles, ReminderDays, LastChanceDaysBefore, Kind, RequiresFlag);
    }

    private sealed class AnchorRow
    {
        public int OwnerId { get; init; }
        public string Name { get; init; } = "";
        public DateTime Date { get; init; }
    }

    private sealed class InvitationRow
    {
        public long Id { get; init; }
        public int ParticipantId { get; init; }
        public int WaveId { get; init; }
        public string Status { get; init; } = "";
        public DateTime DueDate { get; init; }
        public DateTime OpensAt { get; init; }
        public DateTime ClosesAt { get; init; }
        public DateTime? SentAt { get; init; }
        public DateTime? RemindersStoppedAt { get; init; }

        public ExistingInvitation ToExisting() => new(Id, WaveId, Status, ScheduleMath.ToLocalDate(DateOnly.FromDateTime(DueDate)),
            ScheduleMath.ToInstant(OpensAt), ScheduleMath.ToInstant(ClosesAt), SentAt is DateTime s ? ScheduleMath.ToInstant(s) : null,
            RemindersStoppedAt is not null);
    }

    private sealed class MessageRow
    {
        public long Id { get; init; }
        public long InvitationId { get; init; }
        public int ParticipantId { get; init; }
        public string Kind { get; init; } = "";
        public int Step { get; init; }
        public string Status { get; init; } = "";
        public DateTime DueAt { get; init; }
        public DateTime? SentAt { get; init; }
        public string? CancelReason { get; init; }

        public ExistingMessage ToExisting() => new(Id, InvitationId, Kind, Step, Status, ScheduleMath.ToInstant(DueAt),
            SentAt is DateTime s ? ScheduleMath.ToInstant(s) : null, CancelReason);
    }
}
