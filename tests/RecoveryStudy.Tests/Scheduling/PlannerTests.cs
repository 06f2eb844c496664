using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Tests.Scheduling;

public sealed class PlannerTests
{
    private static readonly SendRules Warsaw = SendRules.For("Europe/Warsaw", "Europe/Warsaw", new LocalTime(9, 0), new LocalTime(8, 0), new LocalTime(20, 0), [1, 2, 3, 4, 5], 1);

    private static PlanParticipant Participant(LocalDate enrolled, Dictionary<string, LocalDate>? anchors = null, SendRules? rules = null, string? noEmail = null) =>
        new(1, "trainee", enrolled, anchors ?? new Dictionary<string, LocalDate> { ["course_end"] = new(2027, 3, 1) }, rules ?? Warsaw, noEmail);

    private static PlanWave Wave(int id = 1, int offset = 0, string unit = OffsetUnit.Days, int opens = 0, int closes = 14, int[]? reminders = null,
        int? lastChance = null, string anchor = "course_end") =>
        new(id, "w" + id, anchor, offset, unit, opens, closes, [], reminders ?? [3, 7], lastChance);

    private static Instant Utc(int y, int m, int d, int h = 0) => Instant.FromUtc(y, m, d, h, 0);

    [Fact]
    public void Invitation_and_reminders_go_out_at_nine_local_on_weekdays_inside_the_window()
    {
        var plan = Assert.Single(ParticipantPlanner.Plan(Participant(new LocalDate(2027, 1, 5)), [Wave(lastChance: 2)], [], [], Utc(2027, 2, 1)));
        Assert.Equal(InvitationStatus.Planned, plan.Status);
        Assert.Equal(new LocalDate(2027, 3, 1), plan.DueDate);
        var local = plan.Emails.Select(e => (e.Kind, e.Step, Warsaw.Local(e.DueAt))).ToList();
        Assert.Equal(
        [
            (MessageKind.Invitation, 0, new LocalDateTime(2027, 3, 1, 9, 0)),
            (MessageKind.Reminder, 1, new LocalDateTime(2027, 3, 4, 9, 0)),
            (MessageKind.Reminder, 2, new LocalDateTime(2027, 3, 8, 9, 0)),
            // The window's last day is 15 March; two days before the close is Sunday 14 -> Monday 15 March.
            (MessageKind.LastChance, 0, new LocalDateTime(2027, 3, 15, 9, 0)),
        ], local);
        Assert.Equal(new LocalDateTime(2027, 3, 16, 0, 0), Warsaw.Local(plan.ClosesAt));
    }

    [Fact]
    public void A_participant_enrolled_after_the_window_closed_is_missed_and_gets_no_email()
    {
        var plan = Assert.Single(ParticipantPlanner.Plan(Participant(new LocalDate(2027, 3, 20)), [Wave()], [], [], Utc(2027, 3, 20, 10)));
        Assert.Equal(InvitationStatus.Missed, plan.Status);
        Assert.Equal("enrolled after the window closed", plan.Reason);
        Assert.Empty(plan.Emails);
    }

    [Fact]
    public void A_participant_enrolled_inside_an_open_window_is_invited_at_the_next_allowed_moment()
    {
        // Wednesday 3 March 2027, 21:30 local: after the allowed hours, so Thursday at 09:00.
        var now = Instant.FromUtc(2027, 3, 3, 20, 30);
        var plan = Assert.Single(ParticipantPlanner.Plan(Participant(new LocalDate(2027, 3, 3)), [Wave()], [], [], now));
        Assert.Equal(InvitationStatus.Planned, plan.Status);
        Assert.Equal(new LocalDateTime(2027, 3, 4, 9, 0), Warsaw.Local(plan.Emails[0].DueAt));
        // Reminders count from the day the invitation goes out.
        Assert.Equal(new LocalDateTime(2027, 3, 8, 9, 0), Warsaw.Local(plan.Emails[1].DueAt));
    }

    [Fact]
    public void The_participants_own_anchor_overrides_the_cohort_date_the_caller_merged()
    {
        var own = Participant(new LocalDate(2027, 1, 5), new Dictionary<string, LocalDate> { ["course_end"] = new(2027, 1, 31) });
        var plan = Assert.Single(ParticipantPlanner.Plan(own, [Wave(offset: 1, unit: OffsetUnit.Months)], [], [], Utc(2027, 1, 10)));
        Assert.Equal(new LocalDate(2027, 2, 28), plan.DueDate);
    }

    [Fact]
    public void The_daily_cap_moves_the_second_email_of_a_day_to_the_next_allowed_day_across_waves()
    {
        // Two waves due the same day (Monday 1 March): only one email a day.
        var plans = ParticipantPlanner.Plan(Participant(new LocalDate(2027, 1, 5)), [Wave(1, reminders: []), Wave(2, reminders: [])], [], [], Utc(2027, 2, 1));
        var times = plans.SelectMany(p => p.Emails).Select(e => Warsaw.Local(e.DueAt)).Order().ToList();
        Assert.Equal([new LocalDateTime(2027, 3, 1, 9, 0), new LocalDateTime(2027, 3, 2, 9, 0)], times);
    }

    [Fact]
    public void Reminders_that_fell_due_during_a_pause_collapse_to_the_latest_and_the_earlier_is_skipped_with_its_step()
    {
        var sentAt = Warsaw.SendMomentOn(new LocalDate(2027, 3, 1));
        var invitation = new ExistingInvitation(10, 1, InvitationStatus.Sent, new LocalDate(2027, 3, 1), Warsaw.StartOfDay(new LocalDate(2027, 3, 1)),
            Warsaw.StartOfDay(new LocalDate(2027, 3, 16)), sentAt, false);
        var sent = new ExistingMessage(100, 10, MessageKind.Invitation, 0, MessageStatus.Sent, sentAt, sentAt, null);
        // Resumed on Wednesday 10 March at 10:00: reminders of 4 and 8 March are both overdue.
        var now = Instant.FromUtc(2027, 3, 10, 9, 0);
        var plan = Assert.Single(ParticipantPlanner.Plan(Participant(new LocalDate(2027, 1, 5)), [Wave(reminders: [3, 7, 12])], [invitation], [sent], now));
        var pending = plan.Emails.Where(e => !e.Settled).Select(e => (e.Kind, e.Step)).ToList();
        Assert.Equal([(MessageKind.Reminder, 2), (MessageKind.Reminder, 3)], pending);
        // Reminder 1 keeps its number: passed over, with why, never sent.
        var skipped = Assert.Single(plan.Emails, e => e.SkippedBecause is not null);
        Assert.Equal((MessageKind.Reminder, 1, (Instant?)null), (skipped.Kind, skipped.Step, skipped.SentAt));
        Assert.Contains("reminder 2 was due too", skipped.SkippedBecause);
    }

    [Fact]
    public void A_skipped_reminder_is_settled_and_never_planned_again()
    {
        var sentAt = Warsaw.SendMomentOn(new LocalDate(2027, 3, 1));
        var invitation = new ExistingInvitation(10, 1, InvitationStatus.Sent, new LocalDate(2027, 3, 1), Warsaw.StartOfDay(new LocalDate(2027, 3, 1)),
            Warsaw.StartOfDay(new LocalDate(2027, 3, 16)), sentAt, false);
        var reminder1 = Warsaw.SendMomentOn(new LocalDate(2027, 3, 4));
        ExistingMessage[] messages =
        [
            new(100, 10, MessageKind.Invitation, 0, MessageStatus.Sent, sentAt, sentAt, null),
            new(101, 10, MessageKind.Reminder, 1, MessageStatus.Skipped, reminder1, null, "why"),
        ];
        // Thursday 4 March at 10:00: reminder 1 would be due now, were it not skipped.
        var plan = Assert.Single(ParticipantPlanner.Plan(Participant(new LocalDate(2027, 1, 5)), [Wave(reminders: [3, 7])], [invitation], messages,
            Instant.FromUtc(2027, 3, 4, 9, 0)));
        Assert.Equal([(MessageKind.Reminder, 2)], plan.Emails.Where(e => !e.Settled).Select(e => (e.Kind, e.Step)));
        Assert.Equal("why", Assert.Single(plan.Emails, e => e.Step == 1).SkippedBecause);
    }

    [Fact]
    public void No_email_is_planned_for_a_participant_who_opted_out_but_the_invitation_state_is_still_planned()
    {
        var plan = Assert.Single(ParticipantPlanner.Plan(Participant(new LocalDate(2027, 1, 5), noEmail: "opted_out"), [Wave()], [], [], Utc(2027, 2, 1)));
        Assert.Equal(InvitationStatus.Planned, plan.Status);
        Assert.Empty(plan.Emails);
    }
}
