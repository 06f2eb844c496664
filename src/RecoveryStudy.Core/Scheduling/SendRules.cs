using NodaTime;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Scheduling;

/// <summary>
/// A study's sending rules seen from one participant's time zone: the local send time, the
/// allowed hours and days, and the daily cap. All arithmetic is on local date-times, turned
/// into instants only at the end, so that a daylight-saving change never moves 09:00 local.
/// </summary>
public sealed class SendRules
{
    public SendRules(DateTimeZone zone, LocalTime sendTime, LocalTime hoursStart, LocalTime hoursEnd, IEnumerable<int> isoDays, int maxPerDay)
    {
        Zone = zone;
        SendTime = sendTime;
        HoursStart = hoursStart;
        HoursEnd = hoursEnd;
        Days = isoDays.Where(d => d is >= 1 and <= 7).Select(d => (IsoDayOfWeek)d).ToHashSet();
        MaxPerDay = Math.Max(1, maxPerDay);
        if (Days.Count == 0 || HoursEnd <= HoursStart)
        {
            throw new InvalidOperationException("The study allows no moment to send email: check its send days and hours.");
        }
        // The time a day's email goes out when it moved from an earlier day: the send time when it
        // lies inside the allowed hours, else the start of those hours.
        DayStart = SendTime >= HoursStart && SendTime < HoursEnd ? SendTime : HoursStart;
    }

    public DateTimeZone Zone { get; }
    public LocalTime SendTime { get; }
    public LocalTime HoursStart { get; }
    public LocalTime HoursEnd { get; }
    public IReadOnlySet<IsoDayOfWeek> Days { get; }
    public int MaxPerDay { get; }
    public LocalTime DayStart { get; }

    public static SendRules For(Study study, string participantTimeZone) =>
        For(participantTimeZone, study.TimeZone, TimeOnlyToLocal(study.SendTime), TimeOnlyToLocal(study.SendHoursStart),
            TimeOnlyToLocal(study.SendHoursEnd), study.SendDays, study.MaxEmailsPerParticipantPerDay);

    public static SendRules For(string participantTimeZone, string studyTimeZone, LocalTime sendTime, LocalTime hoursStart,
        LocalTime hoursEnd, IEnumerable<int> isoDays, int maxPerDay) =>
        new(ZoneFor(participantTimeZone, studyTimeZone), sendTime, hoursStart, hoursEnd, isoDays, maxPerDay);

    /// <summary>The rules from a study row as read by Dapper (times of day as TimeSpan), for the planner and the dispatcher.</summary>
    public static SendRules For(string participantTimeZone, string studyTimeZone, TimeSpan sendTime, TimeSpan hoursStart,
        TimeSpan hoursEnd, IEnumerable<int> isoDays, int maxPerDay) =>
        For(participantTimeZone, studyTimeZone, LocalTime.FromTicksSinceMidnight(sendTime.Ticks), LocalTime.FromTicksSinceMidnight(hoursStart.Ticks),
            LocalTime.FromTicksSinceMidnight(hoursEnd.Ticks), isoDays, maxPerDay);

    /// <summary>The participant's zone; the study's when the participant's is unknown to the tz database.</summary>
    public static DateTimeZone ZoneFor(string participantTimeZone, string studyTimeZone) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(participantTimeZone)
        ?? DateTimeZoneProviders.Tzdb.GetZoneOrNull(studyTimeZone)
        ?? DateTimeZone.Utc;

    public static LocalTime TimeOnlyToLocal(TimeOnly time) => LocalTime.FromTicksSinceMidnight(time.Ticks);

    public LocalDateTime Local(Instant instant) => instant.InZone(Zone).LocalDateTime;

    public bool IsAllowed(LocalDateTime local) =>
        Days.Contains(local.DayOfWeek) && local.TimeOfDay >= HoursStart && local.TimeOfDay < HoursEnd;

    public bool IsAllowed(Instant instant) => IsAllowed(Local(instant));

    /// <summary>The first allowed moment at or after <paramref name="desired"/> (local time).</summary>
    public Instant FirstAllowedAt(LocalDateTime desired)
    {
        var candidate = desired;
        for (var i = 0; i < 9; i++)
        {
            if (Days.Contains(candidate.DayOfWeek))
            {
                if (candidate.TimeOfDay < HoursStart)
                {
                    candidate = candidate.Date + DayStart;
                }
                if (candidate.TimeOfDay < HoursEnd)
                {
                    return ToInstant(candidate);
                }
            }
            candidate = candidate.Date.PlusDays(1) + DayStart;
        }
        throw new InvalidOperationException("No allowed sending moment within a week.");
    }

    public Instant FirstAllowedAt(Instant desired) => FirstAllowedAt(Local(desired));

    /// <summary>The day's email moment: <paramref name="date"/> at the send time, moved to the first allowed moment.</summary>
    public Instant SendMomentOn(LocalDate date) => FirstAllowedAt(date + SendTime);

    /// <summary>The first allowed moment on a later local day than <paramref name="instant"/>'s.</summary>
    public Instant FirstAllowedNextDay(Instant instant) => FirstAllowedAt(Local(instant).Date.PlusDays(1) + DayStart);

    /// <summary>
    /// Local to UTC. In a spring-forward gap the time moves forward by the gap; in an autumn
    /// overlap the earlier of the two instants is taken (09:00 is in neither in Europe).
    /// </summary>
    public Instant ToInstant(LocalDateTime local) => Zone.AtLeniently(local).ToInstant();

    public Instant StartOfDay(LocalDate date) => Zone.AtStartOfDay(date).ToInstant();
}
