using System.Text.Json;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Emails;

/// <summary>
/// The words the platform adds to every email: the greeting by first name with its comma (a neutral
/// one without a first name), how long the questionnaire takes and how many days are left, in each language.
/// </summary>
public sealed class GreetingAndDaysLeftTests
{
    private static readonly WaveEmailTexts Texts = JsonSerializer.Deserialize<WaveEmailTexts>(
        """
        {"invitation":{
           "subject":{"en":"Questionnaire", "pl":"Ankieta", "da":"Spørgeskema"},
           "body":{"en":"{salutation}\n\n{link} {duration}, {days_left_text}.", "pl":"{salutation},\n\n{link} {duration}, {days_left_text}.",
                   "da":"{salutation}!\n\n{link} {duration}, {days_left_text}."}}}
        """, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    private static string Body(string language, string? firstName, int minutes = 5, int daysLeft = 6) => EmailComposer.Compose(new EmailInput(
        1, MessageKind.Invitation, 0, language, "en", new LocalizedText { ["en"] = "Study" }, new LocalizedText { ["en"] = "Baseline" }, Texts,
        "Study team", "study@example.org", null, "p@example.org", "Anna Maria Nowak", new DateOnly(2027, 3, 10).AddDays(daysLeft - 1),
        new DateOnly(2027, 3, 10), "https://study.example.org/s/x", "https://study.example.org/u/x", "example.org",
        new DateTimeOffset(2027, 3, 10, 8, 0, 0, TimeSpan.Zero), firstName, minutes)).TextBody?.ReplaceLineEndings("\n") ?? "";

    [Theory]
    [InlineData("en", "Anna", "Hello Anna,\n")]
    [InlineData("en", null, "Hello,\n")]
    [InlineData("en", "  ", "Hello,\n")]
    [InlineData("da", "Jens", "Hej Jens!\n")]
    [InlineData("da", null, "Hej!\n")]
    [InlineData("pl", "Zofia", "Dzień dobry,\n")]
    [InlineData("pl", null, "Dzień dobry,\n")]
    public void The_greeting_uses_the_first_name_or_a_neutral_word_and_one_comma_unless_the_text_punctuates(string language, string? firstName, string start)
    {
        Assert.StartsWith(start, Body(language, firstName));
    }

    [Fact]
    public void The_full_name_is_never_the_greeting()
    {
        Assert.DoesNotContain("Nowak", Body("en", null));
        Assert.DoesNotContain("Dear", Body("en", "Anna"));
    }

    [Theory]
    [InlineData("en", 5, 6, "about 5 minutes, 6 days left.")]
    [InlineData("en", 1, 1, "about a minute, today is the last day.")]
    [InlineData("en", 0, 2, "a few minutes, 2 days left.")]
    [InlineData("pl", 5, 6, "około 5 minut, zostało 6 dni.")]
    [InlineData("pl", 2, 3, "około 2 minuty, zostały 3 dni.")]
    [InlineData("pl", 22, 12, "około 22 minuty, zostało 12 dni.")]
    [InlineData("pl", 15, 24, "około 15 minut, zostały 24 dni.")]
    [InlineData("pl", 10, 1, "około 10 minut, dziś ostatni dzień.")]
    [InlineData("da", 10, 6, "cirka 10 minutter, 6 dage tilbage.")]
    [InlineData("da", 10, 1, "cirka 10 minutter, i dag er sidste dag.")]
    public void Duration_and_days_left_are_words_in_the_language_with_its_plurals(string language, int minutes, int daysLeft, string line)
    {
        Assert.EndsWith(" " + line, Body(language, "Anna", minutes, daysLeft).Split("\n\n")[1]);
    }
}
