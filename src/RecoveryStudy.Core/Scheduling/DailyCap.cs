using NodaTime;
using RecoveryStudy.Data;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// At most N emails per participant per local day, across all waves: emails beyond the cap move
/// to the next allowed day, and are dropped if that is after their window closed.
/// </summary>
internal static class DailyCap
{
    public static IReadOnlyList<PlannedInvitation> Apply(List<PlannedInvitation> plans, IReadOnlyCollection<ExistingMessage> messages,
        SendRules rules, Instant now)
    {
        var perDay = new Dictionary<LocalDate, int>();
        foreach (var sent in messages.Where(m => m.SentAt is not null || m.Status == MessageStatus.Sending))
        {
            Count(perDay, rules.Local(sent.SentAt ?? now).Date);
        }
        var closesByWave = plans.ToDictionary(p => p.WaveId, p => p.ClosesAt);
        var earliest = rules.FirstAllowedAt(now);
        var pending = plans.SelectMany(p => p.Emails).Where(e => !e.Settled)
            .OrderBy(e => e.DueAt < earliest ? earliest : e.DueAt).ThenBy(e => KindOrder(e.Kind)).ThenBy(e => e.WaveId)
            .ToList();
        var kept = new Dictionary<int, List<PlannedEmail>>();
        foreach (var email in pending)
        {
            var at = email.DueAt;
            var effective = at < earliest ? earliest : at;
            while (perDay.GetValueOrDefault(rules.Local(effective).Date) >= rules.MaxPerDay)
            {
                effective = rules.FirstAllowedNextDay(effective);
                at = effective;
            }
            if (at >= closesByWave[email.WaveId])
            {
                continue;
            }
            Count(perDay, rules.Local(effective).Date);
            (kept.TryGetValue(email.WaveId, out var list) ? list : kept[email.WaveId] = []).Add(email with { DueAt = at });
        }
        return plans.Select(p => p with
        {
            Emails = [.. p.Emails.Where(e => e.Settled), .. kept.GetValueOrDefault(p.WaveId) ?? []],
        }).ToList();
    }

    private static void Count(Dictionary<LocalDate, int> perDay, LocalDate day) => perDay[day] = perDay.GetValueOrDefault(day) + 1;

    private static int KindOrder(string kind) => kind switch
    {
        MessageKind.Invitation => 0,
        MessageKind.LastChance => 1,
        _ => 2,
    };
}
