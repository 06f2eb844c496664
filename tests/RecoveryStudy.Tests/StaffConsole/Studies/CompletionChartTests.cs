using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecoveryStudy.Web.Pages.Console;
using RecoveryStudy.Web.Pages.Console.Studies;

namespace RecoveryStudy.Tests.StaffConsole.Studies;

/// <summary>The completion chart's SVG: a sans-serif face, ticks on whole days only, titles in the staff member's language.</summary>
public sealed partial class CompletionChartTests
{
    [Fact]
    public void Chart_uses_a_sans_serif_font_and_marks_whole_days()
    {
        var cohort = new WaveCohortFigures(1, "baseline", "ed8", "ed8");
        cohort.DaysToComplete.AddRange([0, 1, 1, 2, 3]);
        var svg = Svg(CompletionChart.DataUri("baseline", [cohort], Text));

        var fonts = FontFamily().Matches(svg).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(fonts);
        Assert.All(fonts, f => Assert.EndsWith("sans-serif", f, StringComparison.Ordinal));
        var numbers = TextElement().Matches(svg).Select(m => m.Groups[1].Value.Trim()).Where(t => NumberText().IsMatch(t)).ToList();
        Assert.Contains("7", numbers);
        Assert.All(numbers, n => Assert.DoesNotContain(".", n, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", "Wave baseline: cumulative completions", "Days since invitation")]
    [InlineData("pl", "Pomiar baseline: skumulowane ukończenia", "Dni od zaproszenia")]
    [InlineData("da", "Måling baseline: samlede besvarelser", "Dage siden invitation")]
    public void Chart_titles_and_axes_are_in_the_staff_members_language(string language, string title, string axis)
    {
        var cohort = new WaveCohortFigures(1, "baseline", "ed8", "ed8");
        cohort.DaysToComplete.AddRange([0, 2]);
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            var texts = TextElement().Matches(Svg(CompletionChart.DataUri("baseline", [cohort], Text))).Select(m => m.Groups[1].Value.Trim()).ToList();
            Assert.Contains(title, texts);
            Assert.Contains(axis, texts);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static readonly IStringLocalizer<ConsoleText> Text =
        new StringLocalizer<ConsoleText>(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private static string Svg(string uri) => Encoding.UTF8.GetString(Convert.FromBase64String(uri["data:image/svg+xml;base64,".Length..]));

    [GeneratedRegex("font-family=\"([^\"]+)\"")]
    private static partial Regex FontFamily();

    [GeneratedRegex("<text[^>]*>([^<]*)</text>")]
    private static partial Regex TextElement();

    [GeneratedRegex(@"^-?[0-9]+([.,][0-9]+)?$")]
    private static partial Regex NumberText();
}
