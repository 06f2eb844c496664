using System.Text.RegularExpressions;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>
/// No page formats a stored moment itself: every time goes through ZonedTime, which converts it to
/// the study's (or participant's) zone and names the zone. A page that writes <c>@row.SentAt</c>,
/// formats with an hour pattern, or says "UTC" fails here with its file and line.
/// </summary>
public sealed partial class ZonedTimeUsageTests
{
    private static readonly string PagesFolder = Path.Combine(Path.GetDirectoryName(Seeds.Folder)!, "src", "RecoveryStudy.Web", "Pages");

    [Fact]
    public void No_page_formats_a_time_without_the_zoned_time_helper()
    {
        var found = Directory.EnumerateFiles(PagesFolder, "*.cshtml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(PagesFolder, "*.cs", SearchOption.AllDirectories))
            .Where(file => Path.GetFileName(file) != "ZonedTime.cs")
            .SelectMany(file => File.ReadLines(file).Select((line, n) => (File: Path.GetRelativePath(PagesFolder, file), Line: n + 1, Text: line)))
            .Where(l => HourFormat().IsMatch(l.Text) || StandardTimeFormat().IsMatch(l.Text) || UtcLabel().IsMatch(l.Text)
                || (l.File.EndsWith(".cshtml", StringComparison.Ordinal) && RawMoment().IsMatch(l.Text)))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(found.Count == 0, "Times formatted without ZonedTime:\n" + string.Join("\n", found));
    }

    [Theory]
    [InlineData("<td>@r.SentAt</td>")]
    [InlineData("<td>@(m.DueAt)</td>")]
    [InlineData("since @Model.Study.PausedAt.")]
    public void The_check_sees_a_moment_written_raw(string line) => Assert.Matches(RawMoment(), line);

    [Theory]
    [InlineData("<td>@Model.Nav.Time.At(m.SentAt)</td>")]
    [InlineData("@if (p.WithdrawnAt is not null) {")]
    public void The_check_lets_the_helper_and_tests_through(string line) => Assert.DoesNotMatch(RawMoment(), line);

    /// <summary>A format with hours: "yyyy-MM-dd HH:mm", "H:mm".</summary>
    [GeneratedRegex("""ToString\(\s*"[^"]*H""")]
    private static partial Regex HourFormat();

    /// <summary>.NET's one-letter date and time formats ("f", "g", "O" ...).</summary>
    [GeneratedRegex("""ToString\(\s*"[fFgGRsuOotT]"\s*[,)]""")]
    private static partial Regex StandardTimeFormat();

    [GeneratedRegex("""'UTC'|\(UTC\)|in UTC\b""")]
    private static partial Regex UtcLabel();

    /// <summary>Razor output of a member named ...At, not passed to a helper and not merely tested.</summary>
    [GeneratedRegex("""@\(?\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*At\b(?!\s*(?:is\b|==|!=|[(\w]))""")]
    private static partial Regex RawMoment();
}
