using NodaTime;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Interviews;

/// <summary>One participant's task in one interview wave, as the planner decides it.</summary>
public sealed record PlannedInterview(int WaveId, string WaveCode, LocalDate DueDate, LocalDate OpensOn, LocalDate ClosesOn, Instant ClosesAt, string Status);

/// <summary>
/// The interview side of the scheduler, a pure function like <see cref="ParticipantPlanner"/>: the same
/// anchors (own over the cohort's), roles (and a flag the wave may require), offsets and windows, but the result is a task for the study
/// team instead of emails. A window that has closed gives a missed task (never a late one); the
/// queue horizon does not apply, so the team sees every interview ahead.
/// </summary>
public static class InterviewPlanner
{
    public static IReadOnlyList<PlannedInterview> Plan(PlanParticipant participant, IEnumerable<PlanWave> waves, Instant now)
    {
        var plans = new List<PlannedInterview>();
        foreach (var wave in waves.Where(w => w.IsInterview))
        {
            if (wave.Roles.Count > 0 && !wave.Roles.Contains(participant.Role, StringComparer.Ordinal))
            {
                continue;
            }
            if (!participant.Carries(wave.RequiresFlag))
            {
                // Only selected participants (requires_flag); the writer removes a task not yet done when the flag goes.
                continue;
            }
            if (ParticipantPlanner.AnchorDate(participant, wave.Anchor) is not LocalDate anchor)
            {
                continue;
            }
            var due = ScheduleMath.DueDate(anchor, wave.OffsetValue, wave.OffsetUnit);
            var (_, closesAt) = ParticipantPlanner.Window(participant.Rules, wave, due);
            var lastDay = ScheduleMath.LastDay(due, wave.WindowClosesDays);
            var status = now >= closesAt || participant.EnrolledOn > lastDay ? InterviewStatus.Missed : InterviewStatus.Open;
            plans.Add(new PlannedInterview(wave.Id, wave.Code, due, ScheduleMath.FirstDay(due, wave.WindowOpensDays), lastDay, closesAt, status));
        }
        return plans;
    }
}
