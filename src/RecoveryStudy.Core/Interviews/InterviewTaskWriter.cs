using System.Data.Common;
using Dapper;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Interviews;

/// <summary>
/// Writes the interview tasks of a planning chunk, in the plan job's transaction (so a task and the
/// participant's invitations always come from the same plan). New tasks are inserted; a task not
/// yet done follows its anchor and window when they change (and opens again when its window moves
/// into the future); a done task is never touched. Withdrawn participants and closed studies get
/// no new tasks. A task not yet done of a wave that requires a flag the participant no longer carries
/// is deleted (nobody missed an interview they were not selected for). One statement each, whatever
/// the number of tasks.
/// </summary>
internal static class InterviewTaskWriter
{
    public static async Task<int> WriteAsync(DbConnection connection, DbTransaction transaction, PlanState state, Instant now)
    {
        await connection.ExecuteAsync(
            """
            DELETE FROM interview_tasks t USING waves w, participants p
            WHERE t.participant_id = ANY(@ids) AND w.id = t.wave_id AND p.id = t.participant_id
              AND t.status <> 'done' AND w.requires_flag IS NOT NULL AND NOT (w.requires_flag = ANY(p.flags))
            """,
            new { ids = state.Participants.Select(p => p.Id).ToArray() }, transaction);
        var rows = new List<(int StudyId, int ParticipantId, PlannedInterview Plan)>();
        foreach (var row in state.Participants)
        {
            var waves = state.WavesByStudy[row.StudyId];
            if (!waves.Any(w => w.IsInterview) || state.Studies[row.StudyId].Status == StudyStatus.Closed || ParticipantStatus.HasLeft(row.Status))
            {
                continue;
            }
            rows.AddRange(InterviewPlanner.Plan(state.ToPlanParticipant(row), waves, now).Select(p => (row.StudyId, row.Id, p)));
        }
        if (rows.Count == 0)
        {
            return 0;
        }
        return await connection.ExecuteAsync(
            """
            INSERT INTO interview_tasks (study_id, participant_id, wave_id, due_date, opens_on, closes_on, closes_at, status, created_at, updated_at)
            SELECT s, p, w, d, o, c, ca, st, @now, @now
            FROM unnest(@studyIds, @participantIds, @waveIds, @dueDates, @opensOn, @closesOn, @closesAt, @statuses) AS x(s, p, w, d, o, c, ca, st)
            ON CONFLICT (participant_id, wave_id) DO UPDATE
            SET due_date = excluded.due_date, opens_on = excluded.opens_on, closes_on = excluded.closes_on,
                closes_at = excluded.closes_at, status = excluded.status, updated_at = excluded.updated_at
            WHERE interview_tasks.status <> 'done'
              AND (interview_tasks.due_date, interview_tasks.opens_on, interview_tasks.closes_on, interview_tasks.closes_at, interview_tasks.status)
                  IS DISTINCT FROM (excluded.due_date, excluded.opens_on, excluded.closes_on, excluded.closes_at, excluded.status)
            """,
            new
            {
                now = now.ToDateTimeUtc(),
                studyIds = rows.Select(r => r.StudyId).ToArray(),
                participantIds = rows.Select(r => r.ParticipantId).ToArray(),
                waveIds = rows.Select(r => r.Plan.WaveId).ToArray(),
                dueDates = rows.Select(r => ScheduleMath.ToDateOnly(r.Plan.DueDate)).ToArray(),
                opensOn = rows.Select(r => ScheduleMath.ToDateOnly(r.Plan.OpensOn)).ToArray(),
                closesOn = rows.Select(r => ScheduleMath.ToDateOnly(r.Plan.ClosesOn)).ToArray(),
                closesAt = rows.Select(r => r.Plan.ClosesAt.ToDateTimeUtc()).ToArray(),
                statuses = rows.Select(r => r.Plan.Status).ToArray(),
            }, transaction);
    }

    /// <summary>Open tasks whose window has ended become missed (the expire job); returns how many.</summary>
    public static Task<int> MarkMissedAsync(DbConnection connection, DateTime nowUtc, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE interview_tasks SET status = 'missed', updated_at = @nowUtc WHERE status = 'open' AND closes_at <= @nowUtc",
            new { nowUtc }, cancellationToken: ct));
}
