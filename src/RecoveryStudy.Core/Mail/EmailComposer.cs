using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Text;
using RecoveryStudy.Data;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Mail;

/// <summary>What one email is made of, gathered at send time.</summary>
public sealed record EmailInput(
    long MessageId,
    string Kind,
    int Step,
    string Language,
    string DefaultLanguage,
    LocalizedText StudyTitle,
    LocalizedText WaveTitle,
    WaveEmailTexts Texts,
    string SenderName,
    string SenderEmail,
    string? ReplyTo,
    string RecipientEmail,
    string? RecipientName,
    DateOnly LastOpenDay,
    DateOnly Today,
    string SurveyLink,
    string UnsubscribeLink,
    string MessageIdDomain,
    DateTimeOffset Date);

/// <summary>
/// Builds the email: text and HTML parts from the wave's texts in the participant's language,
/// placeholders filled now (so days-left is true on the day it is read), the RFC 8058
/// unsubscribe headers, and a Message-ID derived from the outbox row so a retry carries the
/// same one. Holds nothing but protocol texts, titles, dates and links: never answers.
/// </summary>
public static partial class EmailComposer
{
    public static string MessageIdFor(long messageId, string domain) =>
        string.Create(CultureInfo.InvariantCulture, $"rs.{messageId}@{domain}");

    public static MimeMessage Compose(EmailInput input)
    {
        var language = input.Language;
        var text = PickText(input.Texts, input.Kind, input.Step);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["salutation"] = EmailLanguage.Salutation(language, input.RecipientName),
            ["wave_title"] = input.WaveTitle.For(language, input.DefaultLanguage),
            ["study_title"] = input.StudyTitle.For(language, input.DefaultLanguage),
            ["link"] = input.SurveyLink,
            ["close_date"] = EmailLanguage.Date(language, input.LastOpenDay),
            ["days_left"] = Math.Max(0, input.LastOpenDay.DayNumber - input.Today.DayNumber + 1).ToString(CultureInfo.InvariantCulture),
            ["unsubscribe_link"] = input.UnsubscribeLink,
        };
        var subject = Fill(text.Subject.For(language, input.DefaultLanguage), values, html: false).ReplaceLineEndings(" ");
        var body = text.Body.For(language, input.DefaultLanguage).ReplaceLineEndings("\n");
        var needsFooter = !body.Contains("{unsubscribe_link}", StringComparison.Ordinal);

        var plain = Fill(body, values, html: false);
        if (needsFooter)
        {
            plain += "\n\n-- \n" + EmailLanguage.UnsubscribeFooter(language) + "\n" + input.UnsubscribeLink;
        }
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"").Append(WebUtility.HtmlEncode(language)).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(subject)).Append("</title></head><body style=\"font-family:sans-serif;line-height:1.5;max-width:40em\">");
        foreach (var paragraph in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            html.Append("<p>").Append(Fill(paragraph, values, html: true).Replace("\n", "<br>\n", StringComparison.Ordinal)).Append("</p>\n");
        }
        if (needsFooter)
        {
            html.Append("<p style=\"font-size:small;color:#555\">").Append(WebUtility.HtmlEncode(EmailLanguage.UnsubscribeFooter(language)))
                .Append(' ').Append(Anchor(input.UnsubscribeLink)).Append("</p>\n");
        }
        html.Append("</body></html>");

        var message = new MimeMessage
        {
            MessageId = MessageIdFor(input.MessageId, input.MessageIdDomain),
            Subject = subject,
            Date = input.Date,
        };
        message.From.Add(new MailboxAddress(input.SenderName, input.SenderEmail));
        message.To.Add(new MailboxAddress(input.RecipientName ?? "", input.RecipientEmail));
        if (!string.IsNullOrWhiteSpace(input.ReplyTo))
        {
            message.ReplyTo.Add(MailboxAddress.Parse(input.ReplyTo));
        }
        // RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to this URL.
        message.Headers.Add("List-Unsubscribe", "<" + input.UnsubscribeLink + ">");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        // Automated mail (RFC 3834): out-of-office robots should not answer it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new MultipartAlternative { Part(TextFormat.Plain, plain), Part(TextFormat.Html, html.ToString()) };
        return message;
    }

    /// <summary>The text for a kind and step: reminder k uses the k-th reminder text (the last one past the end).</summary>
    public static EmailText PickText(WaveEmailTexts texts, string kind, int step) => kind switch
    {
        MessageKind.Reminder when texts.Reminders.Count > 0 => texts.Reminders[Math.Clamp(step - 1, 0, texts.Reminders.Count - 1)],
        MessageKind.LastChance when texts.LastChance is not null => texts.LastChance,
        MessageKind.LastChance when texts.Reminders.Count > 0 => texts.Reminders[^1],
        _ => texts.Invitation,
    };

    private static TextPart Part(TextFormat format, string content)
    {
        var part = new TextPart(format);
        part.SetText(Encoding.UTF8, content);
        part.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        return part;
    }

    private static string Fill(string template, Dictionary<string, string> values, bool html)
    {
        var result = new StringBuilder();
        var last = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            result.Append(html ? WebUtility.HtmlEncode(template[last..match.Index]) : template[last..match.Index]);
            var name = match.Groups[1].Value;
            result.Append(!values.TryGetValue(name, out var value) ? (html ? WebUtility.HtmlEncode(match.Value) : match.Value)
                : html && name is "link" or "unsubscribe_link" ? Anchor(value)
                : html ? WebUtility.HtmlEncode(value)
                : value);
            last = match.Index + match.Length;
        }
        result.Append(html ? WebUtility.HtmlEncode(template[last..]) : template[last..]);
        return result.ToString();
    }

    private static string Anchor(string url) => $"<a href=\"{WebUtility.HtmlEncode(url)}\">{WebUtility.HtmlEncode(url)}</a>";

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
