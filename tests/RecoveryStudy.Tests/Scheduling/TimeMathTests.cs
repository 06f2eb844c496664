using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Tests.Scheduling;

public sealed class TimeMathTests
{
    private static SendRules Rules(string zone = "Europe/Warsaw", int[]? days = null, int startHour = 8, int endHour = 20, int sendHour = 9) =>
        SendRules.For(zone, zone, new LocalTime(sendHour, 0), new LocalTime(startHour, 0), new LocalTime(endHour, 0), days ?? [1, 2, 3, 4, 5], 1);

    [Theory]
    [InlineData(2027, 2, 28)]
    [InlineData(2028, 2, 29)]
    public void Thirty_first_of_January_plus_one_month_is_the_end_of_February(int year, int month, int day)
    {
        Assert.Equal(new LocalDate(year, month, day), ScheduleMath.DueDate(new LocalDate(year, 1, 31), 1, OffsetUnit.Months));
    }

    [Fact]
    public void Sixteen_month_follow_up_over_a_leap_day_lands_on_the_twenty_ninth_of_February()
    {
        Assert.Equal(new LocalDate(2028, 2, 29), ScheduleMath.DueDate(new LocalDate(2026, 10, 31), 16, OffsetUnit.Months));
        Assert.Equal(new LocalDate(2029, 2, 28), ScheduleMath.DueDate(new LocalDate(2027, 10, 31), 16, OffsetUnit.Months));
        Assert.Equal(new LocalDate(2028, 2, 29), ScheduleMath.DueDate(new LocalDate(2026, 10, 29), 16, OffsetUnit.Months));
    }

    [Fact]
    public void Days_and_weeks_count_calendar_days()
    {
        Assert.Equal(new LocalDate(2027, 3, 1), ScheduleMath.DueDate(new LocalDate(2027, 2, 22), 1, OffsetUnit.Weeks));
        Assert.Equal(new LocalDate(2028, 2, 22), ScheduleMath.DueDate(new LocalDate(2028, 3, 1), -8, OffsetUnit.Days));
    }

    [Theory]
    // Spring forward: Europe/Warsaw and Europe/Copenhagen go from UTC+1 to UTC+2 on 28 March 2027.
    [InlineData("Europe/Warsaw", 2027, 3, 26, "2027-03-26T08:00:00Z")]
    [InlineData("Europe/Warsaw", 2027, 3, 29, "2027-03-29T07:00:00Z")]
    [InlineData("Europe/Copenhagen", 2027, 3, 26, "2027-03-26T08:00:00Z")]
    [InlineData("Europe/Copenhagen", 2027, 3, 29, "2027-03-29T07:00:00Z")]
    // Fall back on 31 October 2027: UTC+2 to UTC+1.
    [InlineData("Europe/Warsaw", 2027, 10, 29, "2027-10-29T07:00:00Z")]
    [InlineData("Europe/Warsaw", 2027, 11, 1, "2027-11-01T08:00:00Z")]
    [InlineData("Europe/Copenhagen", 2027, 10, 29, "2027-10-29T07:00:00Z")]
    [InlineData("Europe/Copenhagen", 2027, 11, 1, "2027-11-01T08:00:00Z")]
    public void Nine_o_clock_local_stays_nine_o_clock_on_both_sides_of_a_clock_change(string zone, int year, int month, int day, string utc)
    {
        var rules = Rules(zone);
        var at = rules.SendMomentOn(new LocalDate(year, month, day));
        Assert.Equal(utc, at.ToString());
        Assert.Equal(new LocalTime(9, 0), rules.Local(at).TimeOfDay);
    }

    [Fact]
    public void A_due_date_on_the_clock_change_weekend_goes_out_at_nine_on_monday()
    {
        // Sunday 28 March 2027 is both the spring change and a day without sending.
        var rules = Rules("Europe/Copenhagen");
        var at = rules.SendMomentOn(new LocalDate(2027, 3, 28));
        Assert.Equal(new LocalDateTime(2027, 3, 29, 9, 0), rules.Local(at));
    }

    [Fact]
    public void Quiet_days_move_the_email_to_the_next_allowed_day_at_the_send_time()
    {
        var rules = Rules(days: [2, 4]);
        // Monday 1 March 2027 -> Tuesday 2 March at 09:00.
        Assert.Equal(new LocalDateTime(2027, 3, 2, 9, 0), rules.Local(rules.SendMomentOn(new LocalDate(2027, 3, 1))));
        // Friday -> the next Tuesday.
        Assert.Equal(new LocalDateTime(2027, 3, 9, 9, 0), rules.Local(rules.SendMomentOn(new LocalDate(2027, 3, 5))));
    }

    [Fact]
    public void Quiet_hours_move_the_email_to_the_next_allowed_hour()
    {
        var rules = Rules(startHour: 10, endHour: 16, sendHour: 9);
        // A send time before the allowed hours goes out when they begin.
        Assert.Equal(new LocalDateTime(2027, 3, 1, 10, 0), rules.Local(rules.SendMomentOn(new LocalDate(2027, 3, 1))));
        // Late in the evening: the next allowed day at the start of the hours.
        Assert.Equal(new LocalDateTime(2027, 3, 2, 10, 0), rules.Local(rules.FirstAllowedAt(new LocalDateTime(2027, 3, 1, 17, 30))));
        // Inside the hours: at once.
        Assert.Equal(new LocalDateTime(2027, 3, 1, 13, 15), rules.Local(rules.FirstAllowedAt(new LocalDateTime(2027, 3, 1, 13, 15))));
        Assert.False(rules.IsAllowed(new LocalDateTime(2027, 3, 6, 12, 0)));
    }

    [Fact]
    public void A_study_without_any_allowed_day_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => Rules(days: []));
    }
}
