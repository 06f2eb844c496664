using System.Globalization;
using System.Net;
using System.Text;

namespace RecoveryStudy.Reports;

/// <summary>
/// A CONSORT-style participant flow as SVG: per wave (all cohorts) eligible, invited and completed
/// down the middle, those who dropped out at each step in boxes to the side, and retention of the
/// first wave's completers between waves. Plain SVG text, no script, the same bytes for the same data.
/// </summary>
public static class ConsortFigure
{
    private const int Width = 640;
    private const int BoxWidth = 260;
    private const int SideWidth = 300;
    private const int Step = 64;

    public static string Svg(ResponseReportResult report, ConsortLabels? labels = null)
    {
        var l = labels ?? ConsortLabels.English;
        var rows = report.Rows.Where(r => r.Cohort is null).ToList();
        var body = new StringBuilder();
        var y = 40;
        body.Append(Text(20, 24, F(l.Title, report.Study), bold: true));
        for (var k = 0; k < rows.Count; k++)
        {
            var r = rows[k];
            if (k > 0)
            {
                var retained = report.Retention.FirstOrDefault(x => x.Wave == r.Wave);
                Arrow(body, y - 24, y);
                if (retained is not null)
                {
                    body.Append(Text(Width / 2 - BoxWidth / 2 + 150, y - 8, F(l.Retained, retained.AlsoCompleted, retained.FirstWaveCompleters, r.Wave)));
                }
                y += 8;
            }
            body.Append(Text(20, y + 18, F(l.Wave, r.Wave), bold: true));
            y += 28;
            Box(body, y, F(l.Eligible, r.Eligible));
            Side(body, y + Step / 2, F(l.NotInvited, r.NotInvited + r.Missed, r.Missed), F(l.Withdrawn, r.Withdrawn));
            Arrow(body, y + 36, y + Step);
            y += Step;
            Box(body, y, F(l.Invited, r.Invited));
            Side(body, y + Step / 2, F(l.NotCompleted, r.Expired, r.Undeliverable), F(l.StillOpen, r.StillOpen));
            Arrow(body, y + 36, y + Step);
            y += Step;
            var rate = r.ResponseRate is { } rr ? (rr * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";
            Box(body, y, F(l.Completed, r.Completed, rate));
            y += Step;
        }
        var height = y + 10;
        return $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width + 120}" height="{height}" viewBox="0 0 {Width + 120} {height}" role="img" aria-label="{Escape(F(l.AriaLabel, report.Study))}" font-family="sans-serif" font-size="13">""" + "\n"
            + """<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>""" + "\n"
            + body + "</svg>\n";
    }

    private static void Box(StringBuilder svg, int y, string text)
    {
        var x = 20;
        svg.Append(Invariant($"""<rect x="{x}" y="{y}" width="{BoxWidth}" height="36" fill="#fff" stroke="#333"/>""")).Append('\n');
        svg.Append(Text(x + 10, y + 23, text));
    }

    private static void Side(StringBuilder svg, int y, string first, string second)
    {
        var x = 20 + BoxWidth + 60;
        svg.Append(Invariant($"""<line x1="{20 + BoxWidth}" y1="{y}" x2="{x}" y2="{y}" stroke="#333" marker-end="url(#arrow)"/>""")).Append('\n');
        svg.Append(Invariant($"""<rect x="{x}" y="{y - 20}" width="{SideWidth + 120}" height="40" fill="#f6f6f6" stroke="#999"/>""")).Append('\n');
        svg.Append(Text(x + 8, y - 4, first)).Append(Text(x + 8, y + 13, second));
    }

    private static void Arrow(StringBuilder svg, int from, int to) =>
        svg.Append(Invariant($"""<line x1="{20 + BoxWidth / 2}" y1="{from}" x2="{20 + BoxWidth / 2}" y2="{to}" stroke="#333" marker-end="url(#arrow)"/>""")).Append('\n');

    private static string Text(int x, int y, string text, bool bold = false) =>
        Invariant($"""<text x="{x}" y="{y}"{(bold ? " font-weight=\"bold\"" : "")}>{Escape(text)}</text>""") + "\n";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string F(string format, params object[] values) => string.Format(CultureInfo.InvariantCulture, format, values);
}
