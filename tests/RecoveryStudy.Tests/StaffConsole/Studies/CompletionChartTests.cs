using System.Text;
using System.Text.RegularExpressions;
using RecoveryStudy.Web.Pages.Console.Studies;

namespace RecoveryStudy.Tests.StaffConsole.Studies;

/// <summary>The completion chart's SVG: a sans-serif face, and ticks on whole days only.</summary>
public sealed partial class CompletionChartTests
{
    [Fact]
    public void Chart_uses_a_sans_serif_font_and_marks_whole_days()
    {
        var cohort = new WaveCohortFigures(1, "baseline", "ed8", "ed8");
        cohort.DaysToComplete.AddRange([0, 1, 1, 2, 3]);
        var uri = CompletionChart.DataUri("baseline", [cohort]);
        var svg = Encoding.UTF8.GetString(Convert.FromBase64String(uri["data:image/svg+xml;base64,".Length..]));

        var fonts = FontFamily().Matches(svg).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(fonts);
        Assert.All(fonts, f => Assert.EndsWith("sans-serif", f, StringComparison.Ordinal));
        var numbers = TextElement().Matches(svg).Select(m => m.Groups[1].Value.Trim()).Where(t => NumberText().IsMatch(t)).ToList();
        Assert.Contains("7", numbers);
        Assert.All(numbers, n => Assert.DoesNotContain(".", n, StringComparison.Ordinal));
    }

    [GeneratedRegex("font-family=\"([^\"]+)\"")]
    private static partial Regex FontFamily();

    [GeneratedRegex("<text[^>]*>([^<]*)</text>")]
    private static partial Regex TextElement();

    [GeneratedRegex(@"^-?[0-9]+([.,][0-9]+)?$")]
    private static partial Regex NumberText();
}
