using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Web.Demo;

/// <summary>One email of the demo's past: its step and when it went out.</summary>
internal sealed record DemoEmail(string Kind, int Step, DateTime At);

/// <summary>How one participant's wave went: the emails sent, and a completion, opt-out or bounce.</summary>
internal sealed record DemoWaveOutcome(IReadOnlyList<DemoEmail> Sent, DateTime? CompletedAt, DateTime? OptedOutAt, bool Bounced);

/// <summary>
/// The demo's made-up email history of one wave for one participant, as the platform would have
/// sent it: the invitation on the due date, each reminder on its day and the last chance, until the
/// person completes, opts out or the window closes. Each email brings fewer completions than the
/// one before (about 45% answer the invitation, then a third, a quarter, ... of those still
/// missing), so the dashboard's "completions after each email" figure has a column per email and
/// shows the reminders' diminishing yield. A few people opt out after a reminder; a bounce stops
/// at the invitation. Only what happened before <c>now</c> is returned.
/// </summary>
internal static class DemoEmailHistory
{
    /// <summary>Chance to complete after the invitation, reminder 1, 2, 3 and the last chance, of those who had not yet.</summary>
    private static readonly double[] Yield = [0.45, 0.35, 0.25, 0.18, 0.15];

    /// <summary>Chance to opt out of all email after a reminder (of those who had not completed).</summary>
    private const double OptOut = 0.02;

    public static IReadOnlyList<DemoEmail> Steps(Wave wave, DateOnly due, DateTime closes, DateTimeZone zone)
    {
        var steps = new List<DemoEmail> { new(MessageKind.Invitation, 0, At(due, zone)) };
        steps.AddRange(wave.ReminderDays.Select((days, k) => new DemoEmail(MessageKind.Reminder, k + 1, At(due.AddDays(days), zone))));
        if (wave.LastChanceDaysBefore is int before)
        {
            steps.Add(new DemoEmail(MessageKind.LastChance, 0, At(due.AddDays(wave.WindowClosesDays - before), zone)));
        }
        return [.. steps.Where(s => s.At < closes).OrderBy(s => s.At)];
    }

    public static DemoWaveOutcome Play(IReadOnlyList<DemoEmail> steps, DateTime closes, DateTime now, bool bounce, Random random)
    {
        if (bounce)
        {
            return new DemoWaveOutcome([steps[0]], null, null, true);
        }
        var sent = new List<DemoEmail>();
        for (var n = 0; n < steps.Count && steps[n].At <= now; n++)
        {
            var step = steps[n];
            sent.Add(step);
            var next = n + 1 < steps.Count ? steps[n + 1].At : closes;
            var gapHours = Math.Min(48, (next - step.At).TotalHours - 1);
            if (random.NextDouble() < Yield[Math.Min(n, Yield.Length - 1)])
            {
                var completed = step.At.AddHours(0.5 + random.NextDouble() * Math.Max(0, gapHours - 0.5));
                return new DemoWaveOutcome(sent, completed <= now ? completed : null, null, false);
            }
            if (step.Kind != MessageKind.Invitation && random.NextDouble() < OptOut)
            {
                var optedOut = step.At.AddHours(1 + random.NextDouble() * Math.Max(0, gapHours - 1));
                if (optedOut <= now)
                {
                    return new DemoWaveOutcome(sent, null, optedOut, false);
                }
            }
        }
        return new DemoWaveOutcome(sent, null, null, false);
    }

    private static DateTime At(DateOnly date, DateTimeZone zone) =>
        LocalDate.FromDateOnly(date).At(new LocalTime(9, 0)).InZoneLeniently(zone).ToDateTimeUtc();
}
