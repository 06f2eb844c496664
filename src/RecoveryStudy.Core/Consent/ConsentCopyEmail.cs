using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MimeKit;
using MimeKit.Text;
using MimeKit.Utils;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Protocol;

namespace RecoveryStudy.Consent;

/// <summary>What the copy of one consent is made of, read with the claimed message.</summary>
public sealed record ConsentCopyInput(
    long MessageId, string Language, string DefaultLanguage, LocalizedText StudyTitle, ConsentDefinition Consent,
    IReadOnlyDictionary<string, bool> Answers, DateTime GivenAt, string TimeZone, string SenderName, string SenderEmail,
    string? ReplyTo, string RecipientEmail, string? RecipientName, string MessageIdDomain, DateTimeOffset Date);

/// <summary>
/// The participant's copy of the consent they signed: the text they read in the language they
/// read it, each clause with their yes or no, and when, in their own time zone. It goes to them
/// alone and holds nothing they did not see on the page.
/// </summary>
public static class ConsentCopyEmail
{
    public static MimeMessage Compose(ConsentCopyInput input)
    {
        var language = input.Language;
        string For(LocalizedText text) => text.For(language, input.DefaultLanguage);
        var title = For(input.Consent.Title);
        var subject = Subject(language) + ": " + title;
        var given = GivenText(language, input.GivenAt, input.TimeZone);
        var clauses = input.Consent.Clauses
            .Select(c => (Text: For(c.Text), Yes: input.Answers.GetValueOrDefault(c.Code)))
            .ToList();

        var plain = new StringBuilder()
            .Append(For(input.StudyTitle)).Append("\n\n")
            .Append(title).Append("\n\n")
            .Append(For(input.Consent.Text)).Append("\n\n");
        foreach (var (text, yes) in clauses)
        {
            plain.Append(yes ? "[x] " : "[ ] ").Append(text).Append(" - ").Append(Answer(language, yes)).Append('\n');
        }
        plain.Append('\n').Append(given).Append('\n');

        var html = new StringBuilder("<!DOCTYPE html><html lang=\"").Append(language).Append("\"><body>")
            .Append("<p>").Append(Encode(For(input.StudyTitle))).Append("</p>")
            .Append("<h1>").Append(Encode(title)).Append("</h1>");
        foreach (var paragraph in For(input.Consent.Text).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            html.Append("<p>").Append(Encode(paragraph)).Append("</p>");
        }
        html.Append("<ul>");
        foreach (var (text, yes) in clauses)
        {
            html.Append("<li>").Append(Encode(text)).Append(" <strong>").Append(Encode(Answer(language, yes))).Append("</strong></li>");
        }
        html.Append("</ul><p>").Append(Encode(given)).Append("</p></body></html>");

        var message = new MimeMessage(
            new Header(HeaderId.From, string.Empty),
            new Header(HeaderId.Date, DateUtils.FormatDate(input.Date)),
            new Header(HeaderId.Subject, subject),
            new Header(HeaderId.MessageId, "<" + EmailComposer.MessageIdFor(input.MessageId, input.MessageIdDomain) + ">"));
        message.From.Add(new MailboxAddress(input.SenderName, input.SenderEmail));
        message.To.Add(new MailboxAddress(input.RecipientName ?? "", input.RecipientEmail));
        if (!string.IsNullOrWhiteSpace(input.ReplyTo))
        {
            message.ReplyTo.Add(MailboxAddress.Parse(input.ReplyTo));
        }
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new MultipartAlternative { Part(TextFormat.Plain, plain.ToString()), Part(TextFormat.Html, html.ToString()) };
        return message;
    }

    /// <summary>The clause answers as stored (a JSON object of clause code to true or false).</summary>
    public static Dictionary<string, bool> ParseAnswers(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, bool>>(json) ?? [];

    private static string Subject(string language) => language switch
    {
        "pl" => "Kopia Twojej zgody",
        "da" => "Kopi af dit samtykke",
        _ => "Your copy of your consent",
    };

    private static string Answer(string language, bool yes) => (language, yes) switch
    {
        ("pl", true) => "tak",
        ("pl", false) => "nie",
        ("da", true) => "ja",
        ("da", false) => "nej",
        (_, true) => "yes",
        _ => "no",
    };

    private static string GivenText(string language, DateTime givenAt, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(givenAt, DateTimeKind.Utc), zone);
        var (prefix, culture, pattern) = language switch
        {
            "pl" => ("Zgoda wyrażona", "pl-PL", "d MMMM yyyy, HH:mm"),
            "da" => ("Samtykke givet", "da-DK", "d. MMMM yyyy 'kl.' HH:mm"),
            _ => ("Consent given", "en-GB", "d MMMM yyyy, HH:mm"),
        };
        return prefix + ": " + local.ToString(pattern, CultureInfo.GetCultureInfo(culture)) + " (" + timeZone + ")";
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static TextPart Part(TextFormat format, string content)
    {
        var part = new TextPart(format);
        part.SetText(Encoding.UTF8, content);
        part.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        return part;
    }
}
