using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Pages;

/// <summary>
/// How every page shows a moment: in one time zone (the study's on the console, the participant's
/// own on their pages), always with the zone named, so nobody has to guess whether a time is UTC.
/// The database holds UTC; no page formats a stored time itself (ZonedTimeUsageTests checks the views).
/// </summary>
public sealed class ZonedTime
{
    private static readonly LocalDateTimePattern ConsolePattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm");
    private static readonly LocalDateTimePattern SecondsPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm':'ss");

    public static ZonedTime Utc { get; } = new(DateTimeZone.Utc);

    private ZonedTime(DateTimeZone zone) => Zone = zone;

    public DateTimeZone Zone { get; }

    /// <summary>The IANA name ("Pacific/Auckland"), or "UTC".</summary>
    public string ZoneName => Zone.Id;

    /// <summary>The zone of this IANA name; UTC (named as such) for an unknown or empty one.</summary>
    public static ZonedTime In(string? zoneId) =>
        zoneId is { Length: > 0 } && DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) is { } zone ? new(zone) : Utc;

    /// <summary>
    /// The zone of the console's pages that belong to no study (accounts, tokens, audit): the
    /// studies' zone when they all share one (the usual case), else UTC; a study's own when one is given.
    /// </summary>
    public static async Task<ZonedTime> ForConsoleAsync(StudyDbContext db, int? studyId, CancellationToken ct)
    {
        var zones = await db.Studies.AsNoTracking().Where(s => studyId == null || s.Id == studyId)
            .Select(s => s.TimeZone).Distinct().OrderBy(z => z).Take(2).ToListAsync(ct);
        return zones.Count == 1 ? In(zones[0]) : Utc;
    }

    /// <summary>"2026-12-05 14:00 (Europe/Warsaw)"; <paramref name="none"/> when there is no time.</summary>
    public string At(DateTime? utc, string none = "–", bool seconds = false) => utc is DateTime t ? At(ToInstant(t), none, seconds) : none;

    /// <inheritdoc cref="At(DateTime?, string, bool)"/>
    public string At(Instant? instant, string none = "–", bool seconds = false) =>
        instant is Instant i ? (seconds ? SecondsPattern : ConsolePattern).Format(i.InZone(Zone).LocalDateTime) + " (" + ZoneName + ")" : none;

    /// <summary>The moment a local day starts in this zone, in UTC (for filters given as days).</summary>
    public DateTime StartOf(DateOnly day) =>
        Zone.AtStartOfDay(LocalDate.FromDateOnly(day)).ToInstant().ToDateTimeUtc();

    /// <summary>Date and time in the current language with its own pattern: "5 grudnia 2026, o godz. 14:00 (Europe/Warsaw)", for participants.</summary>
    public string Long(DateTime utc, string pattern) =>
        ToInstant(utc).InZone(Zone).LocalDateTime.ToDateTimeUnspecified().ToString(pattern, CultureInfo.CurrentCulture) + " (" + ZoneName + ")";

    /// <summary>The local calendar day of a moment, for "today" in the zone.</summary>
    public DateOnly Day(DateTime utc) => DateOnly.FromDateTime(ToInstant(utc).InZone(Zone).LocalDateTime.ToDateTimeUnspecified());

    private static Instant ToInstant(DateTime utc) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
