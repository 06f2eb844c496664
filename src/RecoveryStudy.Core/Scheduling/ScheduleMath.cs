using NodaTime;
using RecoveryStudy.Data;

namespace RecoveryStudy.Scheduling;

/// <summary>Due dates and windows: calendar arithmetic on local dates.</summary>
public static class ScheduleMath
{
    /// <summary>
    /// Anchor plus offset. Months are calendar months; NodaTime clamps to the end of a shorter
    /// month (31 January + 1 month = 28 or 29 February), which is what a study team means.
    /// </summary>
    public static LocalDate DueDate(LocalDate anchor, int value, string unit) => unit switch
    {
        OffsetUnit.Days => anchor.PlusDays(value),
        OffsetUnit.Weeks => anchor.PlusWeeks(value),
        OffsetUnit.Months => anchor.PlusMonths(value),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "offset unit must be days, weeks or months"),
    };

    /// <summary>The first local day of the window.</summary>
    public static LocalDate FirstDay(LocalDate due, int opensDays) => due.PlusDays(opensDays);

    /// <summary>The last local day on which the window is open (inclusive).</summary>
    public static LocalDate LastDay(LocalDate due, int closesDays) => due.PlusDays(closesDays);

    public static LocalDate ToLocalDate(DateOnly date) => new(date.Year, date.Month, date.Day);

    public static DateOnly ToDateOnly(LocalDate date) => new(date.Year, date.Month, date.Day);

    public static Instant ToInstant(DateTime utc) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    public static DateTime ToUtc(Instant instant) => instant.ToDateTimeUtc();

    /// <summary>The injected clock's now as an instant.</summary>
    public static Instant Now(this TimeProvider clock) => Instant.FromDateTimeOffset(clock.GetUtcNow());
}
