using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Text;
using MimeKit.Utils;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
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
    DateTimeOffset Date,
    string? RecipientFirstName = null,
    int EstimatedMinutes = 0);

/// <summary>
/// Builds the email: text and HTML parts from the wave's texts in the participant's language,
/// placeholders filled now (so days-left is true on the day it is read), the RFC 8058
/// unsubscribe headers, and a Message-ID derived from the outbox row so a retry carries the
/// same one. Holds nothing but protocol texts, titles, dates and links: never answers.
/// </summary>
public static class EmailComposer
{
    public static string MessageIdFor(long messageId, string domain) =>
        string.Create(CultureInfo.InvariantCulture, $"rs.{messageId}@{domain}");

    public static MimeMessage Compose(EmailInput input)
    {
        var language = input.Language;
        var text = PickText(input.Texts, input.Kind, input.Step);
        var template = EmailTemplate.For(text.Subject.For(language, input.DefaultLanguage), text.Body.For(language, input.DefaultLanguage));
        var closeDate = EmailLanguage.Date(language, input.LastOpenDay);
        var daysLeft = Math.Max(0, input.LastOpenDay.DayNumber - input.Today.DayNumber + 1);
        var duration = EmailLanguage.Duration(language, input.EstimatedMinutes);
        var daysLeftText = EmailLanguage.DaysLeft(language, daysLeft);
        var studyTitle = input.StudyTitle.For(language, input.DefaultLanguage);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EmailPlaceholders.Salutation] = EmailLanguage.Salutation(language, input.RecipientFirstName),
            [EmailPlaceholders.WaveTitle] = input.WaveTitle.For(language, input.DefaultLanguage),
            [EmailPlaceholders.StudyTitle] = studyTitle,
            [EmailPlaceholders.Link] = input.SurveyLink,
            [EmailPlaceholders.CloseDate] = closeDate,
            [EmailPlaceholders.DaysLeft] = daysLeft.ToString(CultureInfo.InvariantCulture),
            [EmailPlaceholders.DaysLeftText] = daysLeftText,
            [EmailPlaceholders.Duration] = duration,
            [EmailPlaceholders.UnsubscribeLink] = input.UnsubscribeLink,
        };
        var subject = template.Subject(values);
        var plain = template.Plain(values);
        if (template.NeedsFooter)
        {
            plain += "\n\n-- \n" + EmailLanguage.UnsubscribeFooter(language) + "\n" + input.UnsubscribeLink;
        }
        var reminder = input.Kind is MessageKind.Reminder or MessageKind.LastChance;
        var layout = new EmailLayout.Parts(language, subject, EmailLanguage.Preheader(language, reminder, duration, closeDate, daysLeftText),
            studyTitle, input.SurveyLink, EmailLanguage.StartButton(language),
            template.NeedsFooter ? EmailLanguage.UnsubscribeFooter(language) : null, template.NeedsFooter ? input.UnsubscribeLink : null);
        var html = EmailLayout.Render(layout, (body, button) => template.AppendHtml(body, values, button));

        // The headers the parameterless constructor would set and this email replaces at once
        // (a generated Message-ID, the current date, an empty subject): each one set is encoded,
        // parsed back and set again: work thrown away on every email.
        var message = new MimeMessage(
            new Header(HeaderId.From, string.Empty),
            new Header(HeaderId.Date, DateUtils.FormatDate(input.Date)),
            new Header(HeaderId.Subject, subject),
            new Header(HeaderId.MessageId, "<" + MessageIdFor(input.MessageId, input.MessageIdDomain) + ">"));
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
        message.Body = new MultipartAlternative { Part(TextFormat.Plain, plain), Part(TextFormat.Html, html) };
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
}
