using System.Net;
using System.Text;

namespace RecoveryStudy.Mail;

/// <summary>
/// The HTML part's frame, as mail clients render it: nested tables at most 600 px wide that shrink
/// on a phone (a viewport meta, widths in per cent with a max-width), every style inline (Gmail
/// and Outlook drop style sheets), a hidden preheader, a table-cell button with the link also
/// written out where it may wrap, and every text on a background colour of its own, so a client
/// that darkens the page never leaves white text on a transparent ground.
/// </summary>
internal static class EmailLayout
{
    // Dark text on light grounds; the only white text sits on the explicit dark blue of the header and the button.
    private const string Page = "#eef1f5";
    private const string Card = "#ffffff";
    private const string Ink = "#1a1a1a";
    private const string Muted = "#4a5361";
    private const string Accent = "#1a4d80";
    private const string Font = "font-family:Arial,Helvetica,sans-serif;";

    public sealed record Parts(string Language, string Subject, string Preheader, string StudyTitle, string SurveyLink, string ButtonLabel,
        string? FooterText, string? UnsubscribeLink);

    public static string Render(Parts parts, Action<StringBuilder, Action<StringBuilder>> body)
    {
        var html = new StringBuilder(4096)
            .Append("<!DOCTYPE html>\n<html lang=\"").Append(Encode(parts.Language)).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"x-apple-disable-message-reformatting\">\n")
            // Light only: clients that honour it keep these colours; those that invert anyway find explicit grounds everywhere.
            .Append("<meta name=\"color-scheme\" content=\"light\">\n<meta name=\"supported-color-schemes\" content=\"light\">\n")
            .Append("<title>").Append(Encode(parts.Subject)).Append("</title>\n</head>\n")
            .Append("<body style=\"margin:0;padding:0;width:100%;background-color:").Append(Page).Append(";color:").Append(Ink).Append(";\">\n");
        // The preheader: shown by clients next to the subject, hidden in the email itself; the spacers
        // keep the body's first words out of the preview after it.
        html.Append("<div style=\"display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;font-size:1px;line-height:1px;color:")
            .Append(Page).Append(";background-color:").Append(Page).Append(";\">").Append(Encode(parts.Preheader))
            .Append(string.Concat(Enumerable.Repeat("&#847;&zwnj;&nbsp;", 40))).Append("</div>\n");
        html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" bgcolor=\"").Append(Page)
            .Append("\" style=\"width:100%;background-color:").Append(Page).Append(";\">\n<tr><td align=\"center\" style=\"padding:16px 8px;\">\n")
            .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" bgcolor=\"").Append(Card)
            .Append("\" style=\"width:100%;max-width:600px;background-color:").Append(Card).Append(";border:1px solid #d3d9e1;\">\n");
        html.Append("<tr><td bgcolor=\"").Append(Accent).Append("\" style=\"padding:14px 20px;background-color:").Append(Accent)
            .Append(";color:#ffffff;").Append(Font).Append("font-size:15px;line-height:1.4;font-weight:bold;\">")
            .Append(Encode(parts.StudyTitle)).Append("</td></tr>\n");
        html.Append("<tr><td bgcolor=\"").Append(Card).Append("\" style=\"padding:20px;background-color:").Append(Card).Append(";color:").Append(Ink)
            .Append(';').Append(Font).Append("font-size:16px;line-height:1.5;\">\n");
        body(html, h => Button(h, parts));
        html.Append("</td></tr>\n");
        if (parts.FooterText is not null && parts.UnsubscribeLink is not null)
        {
            html.Append("<tr><td bgcolor=\"").Append(Card).Append("\" style=\"padding:12px 20px 20px 20px;border-top:1px solid #d3d9e1;background-color:")
                .Append(Card).Append(";color:").Append(Muted).Append(';').Append(Font).Append("font-size:13px;line-height:1.5;\">")
                .Append(Encode(parts.FooterText)).Append(' ').Append(EmailTemplate.Anchor(parts.UnsubscribeLink)).Append("</td></tr>\n");
        }
        html.Append("</table>\n</td></tr>\n</table>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// A button that is a table cell with a ground of its own (Outlook ignores padding on links). The
    /// link as wrapping text follows in the body's own paragraph: every protocol body holds {link}.
    /// </summary>
    private static void Button(StringBuilder html, Parts parts)
    {
        var link = Encode(parts.SurveyLink);
        html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"margin:4px 0 12px 0;\">\n<tr><td align=\"center\" bgcolor=\"")
            .Append(Accent).Append("\" style=\"border-radius:6px;background-color:").Append(Accent).Append(";\">")
            .Append("<a href=\"").Append(link).Append("\" style=\"display:inline-block;padding:14px 28px;border-radius:6px;background-color:").Append(Accent)
            .Append(";color:#ffffff;").Append(Font).Append("font-size:17px;line-height:1.2;font-weight:bold;text-decoration:none;\">")
            .Append(Encode(parts.ButtonLabel)).Append("</a></td></tr>\n</table>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
