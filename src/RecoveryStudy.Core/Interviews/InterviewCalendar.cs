using System.Globalization;
using System.Text;

namespace RecoveryStudy.Interviews;

/// <summary>One open task as a calendar entry: participant code and wave only, never contact details; with the participant's booked time when there is one.</summary>
public sealed record CalendarTask(long Id, string StudyCode, string ParticipantCode, string WaveCode, DateOnly DueDate, DateOnly OpensOn, DateOnly ClosesOn,
    DateTime? BookedStart = null, DateTime? BookedEnd = null);

/// <summary>
/// An interviewer's open tasks as an RFC 5545 calendar: each booked interview a timed event, each other window an all-day event (DTEND is the
/// day after the last day, as the RFC says for DATE values), CRLF line ends, lines folded at 75 octets,
/// text escaped. Written by hand: four properties per event need no library.
/// </summary>
public static class InterviewCalendar
{
    public static string Write(IEnumerable<CalendarTask> tasks, DateTime nowUtc, string uidDomain)
    {
        var text = new StringBuilder();
        void Line(string line) => Fold(text, line);
        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//RecoveryStudy//Interview tasks//EN");
        Line("CALSCALE:GREGORIAN");
        Line("X-WR-CALNAME:" + Escape("Interview tasks"));
        var stamp = Utc(nowUtc);
        foreach (var task in tasks)
        {
            Line("BEGIN:VEVENT");
            Line($"UID:interview-task-{task.Id.ToString(CultureInfo.InvariantCulture)}@{uidDomain}");
            Line("DTSTAMP:" + stamp);
            if (task is { BookedStart: DateTime start, BookedEnd: DateTime end })
            {
                // A booked interview is a timed event in UTC (RFC 5545 form 2), which every client shows in its own zone.
                Line("DTSTART:" + Utc(start));
                Line("DTEND:" + Utc(end));
            }
            else
            {
                Line("DTSTART;VALUE=DATE:" + Date(task.OpensOn));
                Line("DTEND;VALUE=DATE:" + Date(task.ClosesOn.AddDays(1)));
            }
            Line("SUMMARY:" + Escape($"Interview {task.WaveCode} with {task.ParticipantCode} ({task.StudyCode})"));
            Line("DESCRIPTION:" + Escape($"Due {task.DueDate:yyyy-MM-dd}; window {task.OpensOn:yyyy-MM-dd} to {task.ClosesOn:yyyy-MM-dd}."));
            Line("TRANSP:" + (task.BookedStart is null ? "TRANSPARENT" : "OPAQUE"));
            Line("END:VEVENT");
        }
        Line("END:VCALENDAR");
        return text.ToString();
    }

    private static string Utc(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>RFC 5545 3.3.11: backslash, semicolon and comma escaped, newlines as \n.</summary>
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal).Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>RFC 5545 3.1: lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character.</summary>
    private static void Fold(StringBuilder text, string line)
    {
        var octets = 0;
        var limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                text.Append("\r\n ");
                octets = 1;
                limit = 75;
            }
            text.Append(rune.ToString());
            octets += size;
        }
        text.Append("\r\n");
    }
}
