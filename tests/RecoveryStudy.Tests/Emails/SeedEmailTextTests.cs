using System.Text.RegularExpressions;
using RecoveryStudy.Data;

namespace RecoveryStudy.Tests.Emails;

/// <summary>
/// Every email the seed studies send (each wave, each step, each language), composed from the
/// repository's seed texts: the subject has no doubled punctuation, the body names the wave in
/// quotes, how long it takes, until when it is open and how many days are left; reminders say they
/// are reminders and why the answer matters; the first wave's invitation is not "the next questionnaire".
/// </summary>
public sealed partial class SeedEmailTextTests
{
    private static readonly DateOnly Today = new(2027, 3, 10);
    private static readonly DateOnly LastOpenDay = new(2027, 3, 15);

    public static TheoryData<string> Emails() => new(SeedEmails.All().Select(e => e.ToString()));

    private static SeedEmail Find(string name) => SeedEmails.All().Single(e => e.ToString() == name);

    [Theory]
    [MemberData(nameof(Emails))]
    public void The_subject_has_no_doubled_punctuation_and_no_placeholder_left(string name)
    {
        var email = SeedEmails.Compose(Find(name), Today, LastOpenDay);

        Assert.DoesNotContain("::", email.Subject);
        // The study title may hold a colon ("...: outcomes over time"): the subject adds no second one.
        Assert.DoesNotMatch(":[^:]*:", email.Subject);
        Assert.DoesNotMatch(@"[.,;:!?]\s*[.,;:!?]", email.Subject);
        Assert.DoesNotContain("{", email.Subject);
        Assert.DoesNotContain("{", email.TextBody);
    }

    [Theory]
    [MemberData(nameof(Emails))]
    public void The_body_names_the_wave_in_quotes_how_long_it_takes_until_when_and_the_days_left(string name)
    {
        var seed = Find(name);
        var email = SeedEmails.Compose(seed, Today, LastOpenDay);
        var wave = SeedEmails.Wave(seed);
        var (open, close) = Quotes[seed.Language];

        Assert.Contains(open + wave.Title[seed.Language] + close, email.TextBody);
        Assert.Contains(Facts[seed.Language].Duration(wave.EstimatedMinutes!.Value), email.TextBody);
        Assert.Contains(Facts[seed.Language].Until, email.TextBody);
        Assert.Contains(SeedEmails.SurveyLink, email.TextBody);
        Assert.Contains(SeedEmails.SurveyLink, email.HtmlBody);
    }

    [Theory]
    [MemberData(nameof(Emails))]
    public void Reminders_say_they_are_reminders_and_why_the_answer_matters(string name)
    {
        var seed = Find(name);
        if (seed.Kind == MessageKind.Invitation)
        {
            return;
        }
        var email = SeedEmails.Compose(seed, Today, LastOpenDay);

        Assert.Contains(Facts[seed.Language].Reminder, email.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Facts[seed.Language].Matters, email.TextBody, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Emails))]
    public void The_first_waves_invitation_is_not_the_next_questionnaire_and_later_ones_are(string name)
    {
        var seed = Find(name);
        if (seed.Kind != MessageKind.Invitation)
        {
            return;
        }
        var email = SeedEmails.Compose(seed, Today, LastOpenDay);
        var next = Facts[seed.Language].Next;

        if (seed.WavePosition == 0)
        {
            Assert.DoesNotContain(next, email.TextBody, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Contains(next, email.TextBody, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(Emails))]
    public void Reminder_subjects_name_the_study_in_every_language(string name)
    {
        var seed = Find(name);
        if (seed.Kind != MessageKind.Reminder)
        {
            return;
        }
        var email = SeedEmails.Compose(seed, Today, LastOpenDay);

        Assert.Contains(SeedEmails.Document(seed.Study).Study.Title[seed.Language], email.Subject);
    }

    [Fact]
    public void The_polish_reminder_subject_reads_as_written()
    {
        var email = SeedEmails.Compose(new SeedEmail("ra-course", "baseline", 0, MessageKind.Reminder, 1, "pl"), Today, LastOpenDay);

        Assert.Equal("Przypomnienie o ankiecie „Przed kursem” – Kurs asystenta zdrowienia: efekty w czasie", email.Subject);
        Assert.StartsWith("Dzień dobry,\n\nTo jest przypomnienie o ankiecie „Przed kursem”", (email.TextBody ?? "").ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_english_invitation_subject_has_one_colon_the_study_titles()
    {
        var email = SeedEmails.Compose(new SeedEmail("ra-course", "baseline", 0, MessageKind.Invitation, 0, "en"), Today, LastOpenDay);

        Assert.Equal("Questionnaire “Before the course” – Recovery assistant course: outcomes over time", email.Subject);
        Assert.Single(ColonPattern().Matches(email.Subject ?? ""));
    }

    private static readonly Dictionary<string, (string Open, string Close)> Quotes = new()
    {
        ["en"] = ("“", "”"),
        ["pl"] = ("„", "”"),
        ["da"] = ("»", "«"),
    };

    private sealed record LanguageFacts(Func<int, string> Duration, string Until, string Reminder, string Matters, string Next);

    private static readonly Dictionary<string, LanguageFacts> Facts = new()
    {
        ["en"] = new(m => $"about {m} minutes", "open until 15 March 2027 (6 days left)", "reminder", "matter", "next questionnaire"),
        ["pl"] = new(m => $"około {m} minut", "otwarta do 15 marca 2027 (zostało 6 dni)", "przypomnienie", "ważne", "kolejną ankietę"),
        ["da"] = new(m => $"cirka {m} minutter", "åbent til og med 15. marts 2027 (6 dage tilbage)", "påmindelse", "betyder", "næste spørgeskema"),
    };

    [GeneratedRegex(":")]
    private static partial Regex ColonPattern();
}
