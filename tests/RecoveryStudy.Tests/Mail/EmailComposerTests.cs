using System.Text.Json;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// The composer fills cut-once templates (<see cref="EmailTemplate"/>): these tests guard that a
/// cached template never carries one email's values or language into another, and that the HTML
/// part encodes what it must.
/// </summary>
public sealed class EmailComposerTests
{
    private static readonly WaveEmailTexts Texts = JsonSerializer.Deserialize<WaveEmailTexts>(
        """
        {"invitation":{
           "subject":{"en":"{wave_title}: your questionnaire","pl":"{wave_title}: ankieta"},
           "body":{"en":"{salutation},\n\nPlease answer: {link}\nRain & <sun> {unknown}\n\nOpen until {close_date} ({days_left} days left).",
                   "pl":"{salutation},\n\nProsimy o odpowiedź: {link}"}}}
        """, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    private static EmailInput Input(long id, string language, string name, string link, DateOnly today) => new(
        id, MessageKind.Invitation, 0, language, "en", new LocalizedText { ["en"] = "Study" },
        new LocalizedText { ["en"] = "Baseline", ["pl"] = "Pomiar wstępny" }, Texts, "Study team", "study@example.org", null,
        $"p{id}@example.org", name, new DateOnly(2027, 3, 15), today, link, $"https://study.example.org/u/{id}", "example.org",
        new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero), name);

    [Fact]
    public void Emails_from_one_text_each_carry_their_own_values_and_language()
    {
        var first = EmailComposer.Compose(Input(1, "en", "Anna Nowak", "https://study.example.org/s/first", new DateOnly(2027, 3, 1)));
        var second = EmailComposer.Compose(Input(2, "en", "Jens Hansen", "https://study.example.org/s/second", new DateOnly(2027, 3, 10)));
        var polish = EmailComposer.Compose(Input(3, "pl", "Zofia Żak", "https://study.example.org/s/third", new DateOnly(2027, 3, 1)));

        Assert.StartsWith("Hello Anna Nowak,", first.TextBody);
        Assert.Contains("https://study.example.org/s/first", first.TextBody);
        Assert.Contains("(15 days left)", first.TextBody);
        Assert.StartsWith("Hello Jens Hansen,", second.TextBody);
        Assert.Contains("https://study.example.org/s/second", second.TextBody);
        Assert.DoesNotContain("first", second.TextBody);
        Assert.Contains("(6 days left)", second.TextBody);
        Assert.Equal("Baseline: your questionnaire", second.Subject);
        Assert.Equal("Pomiar wstępny: ankieta", polish.Subject);
        Assert.Contains("Prosimy o odpowiedź: https://study.example.org/s/third", polish.TextBody);
        Assert.DoesNotContain("Please answer", polish.TextBody);
    }

    [Fact]
    public void The_html_part_encodes_text_and_values_links_become_anchors_and_unknown_placeholders_stay_visible()
    {
        var email = EmailComposer.Compose(Input(7, "en", "Ann <b>O'Neil</b> & co", "https://study.example.org/s/a&b", new DateOnly(2027, 3, 1)));

        Assert.Contains("<p style=\"margin:0 0 16px 0;\">Hello Ann &lt;b&gt;O&#39;Neil&lt;/b&gt; &amp; co,</p>", email.HtmlBody);
        Assert.Contains("<p style=\"margin:0 0 16px 0;\">Please answer: <a href=\"https://study.example.org/s/a&amp;b\" style=\"color:#1a4d80;text-decoration:underline;word-break:break-all;overflow-wrap:anywhere;\">https://study.example.org/s/a&amp;b</a><br>\nRain &amp; &lt;sun&gt; {unknown}</p>", email.HtmlBody);
        Assert.Contains("Rain & <sun> {unknown}", email.TextBody);
        Assert.Contains("<title>Baseline: your questionnaire</title>", email.HtmlBody);
    }

    [Fact]
    public void The_message_id_and_date_are_the_rows_and_the_moment_given_not_generated_ones()
    {
        var email = EmailComposer.Compose(Input(12345, "en", "Anna Nowak", "https://study.example.org/s/x", new DateOnly(2027, 3, 1)));
        using var stream = new MemoryStream();
        email.WriteTo(stream);
        var raw = System.Text.Encoding.ASCII.GetString(stream.ToArray());

        Assert.Equal("rs.12345@example.org", email.MessageId);
        Assert.Single(email.Headers, h => h.Id == HeaderId.MessageId);
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero), email.Date);
        Assert.Single(email.Headers, h => h.Id == HeaderId.Date);
        Assert.Contains("From: Study team <study@example.org>", raw);
        Assert.Contains("To: Anna Nowak <p12345@example.org>", raw);
    }
}
