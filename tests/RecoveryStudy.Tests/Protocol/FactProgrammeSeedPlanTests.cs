using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Protocol;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Protocol;

/// <summary>
/// The FACT programme seed planned for one team: each role gets its own waves, professionals count
/// from the team's date (the cohort's peer start), peer workers and patients from their own dates.
/// </summary>
public sealed class FactProgrammeSeedPlanTests
{
    private static readonly LocalDate TeamPeerStart = new(2027, 2, 1);
    private static readonly SendRules Copenhagen = SendRules.For("Europe/Copenhagen", "Europe/Copenhagen", new LocalTime(9, 0), new LocalTime(8, 0), new LocalTime(20, 0), [1, 2, 3, 4, 5], 1);
    private static readonly Instant Now = Instant.FromUtc(2027, 1, 4, 10, 0);

    private static IReadOnlyList<PlanWave> Waves() =>
        ProtocolJson.Deserialize(Seeds.Read(Seeds.FactProgramme)).Waves.Select((w, i) => new PlanWave(
            i + 1, w.Code, w.Anchor,
            w.Offset.Months ?? w.Offset.Weeks ?? w.Offset.Days ?? 0,
            w.Offset.Months is not null ? OffsetUnit.Months : w.Offset.Weeks is not null ? OffsetUnit.Weeks : OffsetUnit.Days,
            w.Window.OpensDays, w.Window.ClosesDays, w.Roles, w.Reminders.Days, w.Reminders.LastChanceDaysBefore,
            w.Kind ?? WaveKind.Questionnaire, w.RequiresFlag)).ToList();

    // Anchors as the plan job merges them: the team's cohort date, then the participant's own dates over it.
    private static PlanParticipant Member(int id, string role, params (string Anchor, LocalDate Date)[] own) => Member(id, role, [], own);

    private static PlanParticipant Member(int id, string role, string[] flags, params (string Anchor, LocalDate Date)[] own)
    {
        var anchors = new Dictionary<string, LocalDate> { ["team_peer_start"] = TeamPeerStart };
        foreach (var (anchor, date) in own)
        {
            anchors[anchor] = date;
        }
        return new PlanParticipant(id, role, new LocalDate(2027, 1, 4), anchors, Copenhagen, null, flags);
    }

    private static List<(string Code, LocalDate Due)> Planned(PlanParticipant participant) =>
        ParticipantPlanner.Plan(participant, Waves(), [], [], Now).Select(p => (p.WaveCode, p.DueDate))
            .Concat(InterviewPlanner.Plan(participant, Waves(), Now).Select(p => (p.WaveCode, p.DueDate)))
            .OrderBy(p => p.Item2).ThenBy(p => p.Item1, StringComparer.Ordinal).ToList();

    [Fact]
    public void Peer_workers_count_from_their_own_employment_date()
    {
        var employed = new LocalDate(2027, 3, 15);
        Assert.Equal(
        [
            ("baseline", employed), ("peer_interview_start", employed),
            ("followup_24m", new LocalDate(2029, 3, 15)), ("peer_interview_24m", new LocalDate(2029, 3, 15)),
        ], Planned(Member(1, "peer_worker", ("employment_start", employed))));
    }

    [Fact]
    public void Professionals_count_from_the_teams_peer_start_not_from_their_own_employment()
    {
        Assert.Equal(
        [
            ("prof_attitudes_start", TeamPeerStart), ("prof_interview_start", TeamPeerStart),
            ("prof_attitudes_24m", new LocalDate(2029, 2, 1)), ("prof_interview_24m", new LocalDate(2029, 2, 1)),
        ], Planned(Member(2, "professional", ("employment_start", new LocalDate(2019, 8, 1)))));
    }

    [Fact]
    public void Patients_answer_the_recovery_questionnaire_at_inclusion_and_every_six_months_for_two_years()
    {
        var included = new LocalDate(2027, 4, 10);
        Assert.Equal(
        [
            ("recovery_0m", included), ("recovery_6m", new LocalDate(2027, 10, 10)), ("recovery_12m", new LocalDate(2028, 4, 10)),
            ("recovery_18m", new LocalDate(2028, 10, 10)), ("recovery_24m", new LocalDate(2029, 4, 10)),
        ], Planned(Member(3, "patient", ("inclusion", included))));
    }

    [Fact]
    public void Only_patients_selected_for_interview_get_the_12_month_patient_interview()
    {
        var included = new LocalDate(2027, 4, 10);
        var selected = Planned(Member(4, "patient", ["selected_for_interview"], ("inclusion", included)));
        var other = Planned(Member(5, "patient", ["some_other_flag"], ("inclusion", included)));

        Assert.Contains(("patient_interview_12m", new LocalDate(2028, 4, 10)), selected);
        Assert.DoesNotContain(other, p => p.Code == "patient_interview_12m");
        Assert.Equal(other, selected.Where(p => p.Code != "patient_interview_12m"));
    }
}
