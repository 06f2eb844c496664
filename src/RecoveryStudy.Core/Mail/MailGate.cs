using System.Data.Common;
using Dapper;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Mail;

/// <summary>
/// The rules every participant email obeys, in the outbox's claim and in the jobs that send outside
/// it (booking emails): the study's sending hours and days in the participant's zone, the daily cap
/// per participant (counting the outbox's messages and the <see cref="DirectEmail"/> log together),
/// and the relay's quota shared by all nodes (<see cref="RelayRateLimiter"/>). One copy of each rule:
/// both callers decide with these methods inside their claiming transaction (docs/design.md, "One
/// gate for every email").
/// </summary>
internal static class MailGate
{
    /// <summary>
    /// What the participants got in the last 26 hours or have in flight, for the daily cap: the
    /// outbox's messages (a consent copy counts toward no cap) and the emails sent outside it.
    /// </summary>
    internal const string SentRecentlySql = """
        SELECT i.participant_id, coalesce(m.sent_at, @now)
        FROM messages m JOIN invitations i ON i.id = m.invitation_id
        WHERE i.participant_id = ANY(@participants) AND m.kind <> 'consent_copy'
          AND ((m.status = 'sent' AND m.sent_at > @since) OR m.status = 'sending')
        UNION ALL
        SELECT d.participant_id, d.claimed_at FROM direct_emails d
        WHERE d.participant_id = ANY(@participants) AND d.claimed_at > @since
        """;

    private static readonly BoundedCache<(string, string, TimeSpan, TimeSpan, TimeSpan, int, int), SendRules> SharedRules = new(1024);

    /// <summary>
    /// The study's sending rules in the participant's zone. A batch shares a handful of them and
    /// building one (zone lookup, the set of days) is not free; they are immutable, so shared.
    /// </summary>
    public static SendRules Rules(string timeZone, string studyTimeZone, TimeSpan sendTime, TimeSpan hoursStart, TimeSpan hoursEnd,
        int[] sendDays, int maxPerDay) =>
        SharedRules.GetOrAdd((timeZone, studyTimeZone, sendTime, hoursStart, hoursEnd, DaysMask(sendDays), maxPerDay),
            _ => SendRules.For(timeZone, studyTimeZone, sendTime, hoursStart, hoursEnd, sendDays, maxPerDay));

    /// <summary>Emails each of <paramref name="participants"/> got in the last day (or has in flight), with when.</summary>
    public static async Task<List<(int ParticipantId, DateTime At)>> SentRecentlyAsync(DbConnection connection, DbTransaction transaction,
        IEnumerable<int> participants, DateTime now) =>
        [.. await connection.QueryAsync<(int ParticipantId, DateTime At)>(SentRecentlySql,
            new { now, since = now.AddHours(-26), participants = participants.Distinct().ToArray() }, transaction)];

    /// <summary>How many of <paramref name="sentRecently"/> are the participant's on today's local date of <paramref name="rules"/>.</summary>
    public static int SentToday(SendRules rules, IEnumerable<(int ParticipantId, DateTime At)> sentRecently, int participantId, Instant now)
    {
        var today = rules.Local(now).Date;
        return sentRecently.Count(s => s.ParticipantId == participantId && rules.Local(ScheduleMath.ToInstant(s.At)).Date == today);
    }

    /// <summary>
    /// When an email that may otherwise go now must wait until, or null to send it now: outside the
    /// allowed hours and days to their next start; over the daily cap (or when the caller holds it
    /// to the next day for a reason of its own) to the next day's first allowed moment.
    /// </summary>
    public static DateTime? HoldUntil(SendRules rules, Instant now, int sentToday, bool nextDay = false) =>
        !rules.IsAllowed(now) ? rules.FirstAllowedAt(now).ToDateTimeUtc()
        : nextDay || sentToday >= rules.MaxPerDay ? rules.FirstAllowedNextDay(now).ToDateTimeUtc()
        : null;

    /// <summary>
    /// Permits for up to <paramref name="wanted"/> sends now from the relay's quota shared by all
    /// nodes, taken in the caller's claiming transaction: the sends granted, and when more are free.
    /// </summary>
    public static Task<(int Granted, DateTime NextFreeAt)> QuotaAsync(DbConnection connection, DbTransaction transaction, string relay, int wanted,
        MailOptions options, DateTime now) =>
        RelayRateLimiter.AcquireAsync(connection, transaction, relay, wanted, options, now);

    /// <summary>The ISO days 1-7 as bits; other values are ignored by the rules as well.</summary>
    private static int DaysMask(int[] days) => days.Where(d => d is >= 1 and <= 7).Aggregate(0, (mask, d) => mask | 1 << d);
}
