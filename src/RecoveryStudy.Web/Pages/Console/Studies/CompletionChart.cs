using System.Globalization;
using Microsoft.Extensions.Localization;
using ScottPlot;

namespace RecoveryStudy.Web.Pages.Console.Studies;

/// <summary>
/// Cumulative completions over days since the invitation, one line per cohort, drawn on the
/// server as SVG (ScottPlot) and embedded as a data: image, so the page needs no script and
/// the SVG's own attributes never meet the page's style policy.
/// </summary>
public static partial class CompletionChart
{
    public static string DataUri(string waveCode, IEnumerable<WaveCohortFigures> cohorts, IStringLocalizer<ConsoleText> text, int width = 720, int height = 320)
    {
        var plot = new Plot();
        // Measured with a sans-serif face where the machine has it; the SVG then names a sans-serif stack (below).
        plot.Font.Set("DejaVu Sans");
        var lines = cohorts.Where(c => c.DaysToComplete.Count > 0).ToList();
        var lastDay = Math.Max(7, lines.SelectMany(c => c.DaysToComplete).DefaultIfEmpty(0).Max() + 1);
        var palette = new ScottPlot.Palettes.Category10();
        for (var n = 0; n < lines.Count; n++)
        {
            var days = Enumerable.Range(0, lastDay + 1).Select(d => (double)d).ToArray();
            var cumulative = days.Select(d => (double)lines[n].DaysToComplete.Count(x => x <= d)).ToArray();
            var line = plot.Add.ScatterLine(days, cumulative, palette.GetColor(n));
            line.LineWidth = 2;
            line.LegendText = lines[n].CohortLabel;
        }
        if (lines.Count == 0)
        {
            plot.Add.Text(text["Dashboard_ChartNone"], 0, 0);
        }
        else
        {
            plot.ShowLegend(Alignment.LowerRight);
        }
        plot.Title(text["Dashboard_ChartTitle", waveCode]);
        plot.XLabel(text["Dashboard_ChartX"]);
        plot.YLabel(text["ColCompleted"]);
        plot.Axes.SetLimitsY(0, Math.Max(1, lines.Select(c => c.DaysToComplete.Count).DefaultIfEmpty(0).Max()) * 1.1);
        plot.Axes.SetLimitsX(0, lastDay);
        // Whole days and whole completions only: a tick every half day reads as if there were half days.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // ScottPlot writes one installed font's name (a serif one when it finds no sans); the browser
        // that draws the SVG gets a stack ending in the generic sans-serif, as the console's own text.
        var svg = FontFamily().Replace(plot.GetSvgXml(width, height), "font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\"");
        return "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));
    }

    /// <summary>The same figures as text, for the image's alternative and for screen readers.</summary>
    public static string Describe(string waveCode, IEnumerable<WaveCohortFigures> cohorts, IStringLocalizer<ConsoleText> text) =>
        text["Dashboard_ChartAlt", waveCode, string.Join("; ", cohorts.Select(c =>
            c.DaysToComplete.Count == 0
                ? text["Dashboard_ChartAltNone", c.CohortLabel].Value
                : text["Dashboard_ChartAltCohort", c.CohortLabel, c.DaysToComplete.Count.ToString(CultureInfo.InvariantCulture), Median(c.DaysToComplete).ToString(CultureInfo.InvariantCulture)].Value))];

    private static int Median(List<int> days)
    {
        var sorted = days.Order().ToList();
        return sorted[(sorted.Count - 1) / 2];
    }

    [System.Text.RegularExpressions.GeneratedRegex("font-family=\"[^\"]*\"")]
    private static partial System.Text.RegularExpressions.Regex FontFamily();
}
