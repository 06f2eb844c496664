using NodaTime;
using RecoveryStudy.Data;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// The scheduling semantics of docs/design.md as one pure function: for one participant, every wave's
/// due date, window and status, and every email (invitation, reminders, last chance) with the
/// moment it should go out. The plan job writes the result; the dry run prints it.
/// </summary>
public static class ParticipantPlanner
{
    public const string EnrolledAnchor = "enrolled";

    public static IReadOnlyList<PlannedInvitation> Plan(
        PlanParticipant participant,
        IEnumerable<PlanWave> waves,
        IReadOnlyCollection<ExistingInvitation> invitations,
        IReadOnlyCollection<ExistingMessage> messages,
        Instant now)
    {
        var rules = participant.Rules;
        var byWave = invitations.ToDictionary(i => i.WaveId);
        var plans = new List<PlannedInvitation>();
        // Interview waves are tasks for the study team, planned by InterviewPlanner; they send no email.
        foreach (var wave in waves.Where(w => !w.IsInterview))
        {
            if (wave.Roles.Count > 0 && !wave.Roles.Contains(participant.Role, StringComparer.Ordinal))
            {
                continue;
            }
            var anchor = AnchorDate(participant, wave.Anchor);
            if (anchor is not LocalDate anchorDate)
            {
                continue;
            }
            byWave.TryGetValue(wave.Id, out var existing);
            // Sent or skipped: both are settled, neither is planned again.
            var sent = existing is null ? [] : messages.Where(m => m.InvitationId == existing.Id
                && (m.SentAt is not null || m.Status == MessageStatus.Skipped)).ToList();
            plans.Add(existing is not null && existing.Status is not (InvitationStatus.Planned or InvitationStatus.Missed)
                ? Continue(participant, wave, existing, sent, now)
                : Start(participant, wave, anchorDate, now));
        }
        return DailyCap.Apply(plans, messages, rules, now);
    }

    public static LocalDate? AnchorDate(PlanParticipant participant, string anchor) =>
        participant.Anchors.TryGetValue(anchor, out var date) ? date
        : anchor == EnrolledAnchor ? participant.EnrolledOn
        : null;

    /// <summary>An invitation not sent yet: when it goes out, or why it is missed.</summary>
    private static PlannedInvitation Start(PlanParticipant participant, PlanWave wave, LocalDate anchor, Instant now)
    {
        var rules = participant.Rules;
        var due = ScheduleMath.DueDate(anchor, wave.OffsetValue, wave.OffsetUnit);
        var lastDay = ScheduleMath.LastDay(due, wave.WindowClosesDays);
        var (opens, closes) = Window(rules, wave, due);
        PlannedInvitation Missed(string reason) => new(wave.Id, wave.Code, due, opens, closes, InvitationStatus.Missed, reason, []);

        if (participant.EnrolledOn > lastDay)
        {
            return Missed("enrolled after the window closed");
        }
        // At or after the due date's send time, inside the window, and never in the past: a
        // participant enrolled inside an open window is invited at the next allowed moment.
        var desired = Max(Max(rules.ToInstant(due + rules.SendTime), opens), now);
        var inviteAt = rules.FirstAllowedAt(desired);
        if (inviteAt >= closes)
        {
            return Missed(now >= closes ? "the window closed before the invitation could be sent" : "no allowed sending moment left in the window");
        }
        var emails = new List<PlannedEmail>();
        if (participant.NoEmailReason is null)
        {
            emails.Add(new PlannedEmail(wave.Id, MessageKind.Invitation, 0, inviteAt));
            emails.AddRange(Reminders(rules, wave, inviteAt, closes));
        }
        return new PlannedInvitation(wave.Id, wave.Code, due, opens, closes, InvitationStatus.Planned, null, emails);
    }

    /// <summary>The window around a due date: from the start of its first local day to the end of its last.</summary>
    public static (Instant Opens, Instant Closes) Window(SendRules rules, PlanWave wave, LocalDate due) =>
        (rules.StartOfDay(ScheduleMath.FirstDay(due, wave.WindowOpensDays)), rules.StartOfDay(ScheduleMath.LastDay(due, wave.WindowClosesDays).PlusDays(1)));

    /// <summary>An invitation already sent (or closed): its window stays as announced; only reminders are planned.</summary>
    private static PlannedInvitation Continue(PlanParticipant participant, PlanWave wave, ExistingInvitation existing,
        List<ExistingMessage> sent, Instant now)
    {
        var emails = sent.Select(m => new PlannedEmail(wave.Id, m.Kind, m.Step, m.DueAt, m.SentAt,
            m.SentAt is null ? m.CancelReason ?? SkippedReason(m.Kind, m.Step) : null)).ToList();
        var open = InvitationStatus.Open.Contains(existing.Status) && now < existing.ClosesAt;
        if (open && participant.NoEmailReason is null && !existing.RemindersStopped && existing.SentAt is Instant sentAt)
        {
            var alreadySent = sent.Select(m => (m.Kind, m.Step)).ToHashSet();
            var pending = Reminders(participant.Rules, wave, sentAt, existing.ClosesAt)
                .Where(e => !alreadySent.Contains((e.Kind, e.Step)))
                .ToList();
            emails.AddRange(CollapsePastDue(pending, now));
        }
        return new PlannedInvitation(wave.Id, wave.Code, existing.DueDate, existing.OpensAt, existing.ClosesAt, existing.Status, null, emails);
    }

    /// <summary>Reminders on the policy's days after the invitation, and the last chance, all inside the window.</summary>
    private static IEnumerable<PlannedEmail> Reminders(SendRules rules, PlanWave wave, Instant invitedAt, Instant closes)
    {
        var invitedOn = rules.Local(invitedAt).Date;
        for (var k = 0; k < wave.ReminderDays.Count; k++)
        {
            var at = rules.SendMomentOn(invitedOn.PlusDays(wave.ReminderDays[k]));
            if (at > invitedAt && at < closes)
            {
                yield return new PlannedEmail(wave.Id, MessageKind.Reminder, k + 1, at);
            }
        }
        if (wave.LastChanceDaysBefore is int daysBefore)
        {
            var closeDay = rules.Local(closes).Date;
            var at = rules.SendMomentOn(closeDay.PlusDays(-daysBefore));
            if (at > invitedAt && at < closes)
            {
                yield return new PlannedEmail(wave.Id, MessageKind.LastChance, 0, at);
            }
        }
    }

    /// <summary>
    /// Reminders that fell due while nothing was sent (a pause, an outage) would all go at once:
    /// only the latest of them is sent, so a person gets one reminder, not a burst. The earlier
    /// ones keep their step numbers and are recorded as skipped, with why.
    /// </summary>
    private static IEnumerable<PlannedEmail> CollapsePastDue(List<PlannedEmail> pending, Instant now)
    {
        var pastDue = pending.Where(e => e.DueAt <= now).OrderBy(e => e.DueAt).ToList();
        if (pastDue.Count <= 1)
        {
            return pending;
        }
        var latest = pastDue[^1];
        return pastDue.SkipLast(1).Select(e => e with { SkippedBecause = SkippedReason(latest.Kind, latest.Step) })
            .Append(latest)
            .Concat(pending.Where(e => e.DueAt > now));
    }

    /// <summary>Why a step was passed over, as the console shows it; the same words the dispatcher writes.</summary>
    public static string SkippedReason(string laterKind, int laterStep) =>
        $"fell due while nothing was sent (pause or outage) and {StepLabel(laterKind, laterStep)} was due too: only the latest is sent";

    /// <summary>"invitation", "reminder 2", "last chance".</summary>
    public static string StepLabel(string kind, int step) => kind switch
    {
        MessageKind.Invitation => "invitation",
        MessageKind.Reminder => $"reminder {step}",
        MessageKind.LastChance => "last chance",
        _ => kind,
    };

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;
}
