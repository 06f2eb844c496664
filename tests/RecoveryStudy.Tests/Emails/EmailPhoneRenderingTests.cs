using AngleSharp.Html.Parser;
using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Emails;

/// <summary>
/// The HTML part of an invitation and a reminder, as a phone shows it: loaded in Chromium at 360 px
/// it does not scroll sideways, the button is on screen, every text sits on a ground of its own with
/// readable contrast; at 1280 px the card stays at most 600 px wide; and an HTML5 parser finds no
/// error in it. Screenshots are kept under the test project's TestResults folder (not committed).
/// </summary>
public sealed class EmailPhoneRenderingTests
{
    private static readonly DateOnly Today = new(2027, 3, 10);
    private static readonly DateOnly LastOpenDay = new(2027, 3, 15);

    public static TheoryData<string, string, string, int> Cases() => new()
    {
        { Seeds.RaCourse, "en", MessageKind.Invitation, 0 },
        { Seeds.RaCourse, "en", MessageKind.Reminder, 1 },
        { Seeds.RaCourse, "pl", MessageKind.Invitation, 0 },
        { Seeds.RaCourse, "pl", MessageKind.Reminder, 2 },
        { Seeds.FactPeer, "da", MessageKind.Reminder, 1 },
        { Seeds.FactPeer, "da", MessageKind.LastChance, 0 },
        { FooterTexts, "pl", MessageKind.Invitation, 0 },
        { FooterTexts, "en", MessageKind.Reminder, 1 },
    };

    /// <summary>Texts without {unsubscribe_link}, so that the composer adds its footer.</summary>
    private const string FooterTexts = "builder";

    private static string Html(string study, string language, string kind, int step) =>
        (study == FooterTexts
            ? EmailComposer.Compose(new EmailInput(1, kind, step, language, "en", new LocalizedText { ["en"] = "Recovery assistant course: outcomes over time" },
                new LocalizedText { ["en"] = "Before the course", ["pl"] = "Przed kursem" }, StudyBuilder.Texts(), "Study team", "study@example.org", null,
                "anna@example.org", "Anna Nowak", LastOpenDay, Today, SeedEmails.SurveyLink, SeedEmails.UnsubscribeLink, "example.org",
                new DateTimeOffset(2027, 3, 10, 8, 0, 0, TimeSpan.Zero), "Anna", 5)).HtmlBody
            : SeedEmails.Compose(new SeedEmail(study, "baseline", 0, kind, step, language), Today, LastOpenDay).HtmlBody)
        ?? throw new InvalidOperationException("no HTML part");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task On_a_360_px_phone_the_email_does_not_scroll_sideways_and_the_button_is_on_screen(string study, string language, string kind, int step)
    {
        var html = Html(study, language, kind, step);
        await using var context = await Browser.NewContextAsync(360, 740, javaScript: true);
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);

        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath($"email-{study}-{kind}{step}-{language}-360"), FullPage = true });
        Assert.True(widths[0] <= widths[1], $"the email is {widths[0]} px wide in a {widths[1]} px viewport");

        var button = page.GetByRole(AriaRole.Link, new() { Name = Label(language), Exact = true });
        Assert.Equal(SeedEmails.SurveyLink, await button.GetAttributeAsync("href"));
        var box = await button.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 360, $"the button spans {box.X}..{box.X + box.Width} px");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_text_has_a_ground_of_its_own_with_readable_contrast(string study, string language, string kind, int step)
    {
        var html = Html(study, language, kind, step);
        await using var context = await Browser.NewContextAsync(360, 740, javaScript: true);
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);

        // For each element holding text (the hidden preheader aside): the nearest ground, self or
        // ancestor, below <body>; and the contrast of the text's colour with it (WCAG formula).
        var problems = await page.EvaluateAsync<string[]>(
            """
            () => {
              const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
              const lum = ([r, g, b]) => { const c = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b); };
              const out = [];
              for (const el of document.body.querySelectorAll('*')) {
                if (!el.checkVisibility()) continue;
                if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
                let ground = el;
                while (ground && getComputedStyle(ground).backgroundColor.replace(/\s/g, '') === 'rgba(0,0,0,0)') ground = ground.parentElement;
                if (!ground || ground === document.body || ground === document.documentElement) { out.push(el.tagName + ' "' + el.textContent.trim().slice(0, 30) + '" has no ground of its own'); continue; }
                const fg = lum(rgb(getComputedStyle(el).color)), bg = lum(rgb(getComputedStyle(ground).backgroundColor));
                const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
                if (ratio < 4.5) out.push(el.tagName + ' "' + el.textContent.trim().slice(0, 30) + '" contrast ' + ratio.toFixed(2));
              }
              return out;
            }
            """);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task On_a_wide_screen_the_card_is_at_most_600_px()
    {
        var html = Html(Seeds.RaCourse, "en", MessageKind.Invitation, 0);
        await using var context = await Browser.NewContextAsync(1280, 800, javaScript: true);
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);

        var width = await page.EvaluateAsync<double>("() => document.querySelector('table table').getBoundingClientRect().width");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("email-ra-course-invitation-en-1280"), FullPage = true });
        // 600 px of content and its 1 px border on each side.
        Assert.InRange(width, 500, 602);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_html5_parser_finds_no_error(string study, string language, string kind, int step)
    {
        var html = Html(study, language, kind, step);
        var parser = new HtmlParser(new HtmlParserOptions { IsStrictMode = false });
        var errors = new List<string>();
        parser.Error += (_, e) => errors.Add(e is AngleSharp.Html.Dom.Events.HtmlErrorEvent error ? $"{error.Position}: {error.Message}" : e.ToString() ?? "");

        var document = parser.ParseDocument(html);

        Assert.Empty(errors);
        Assert.Equal("width=device-width, initial-scale=1", document.QuerySelector("meta[name=viewport]")?.GetAttribute("content"));
        Assert.Equal(language, document.DocumentElement.GetAttribute("lang"));
        var preheader = document.Body!.FirstElementChild!;
        Assert.Contains("display:none", preheader.GetAttribute("style"));
        Assert.Contains(Preheader[language], preheader.TextContent);
        Assert.Empty(document.QuerySelectorAll("style, link, script"));
    }

    private static readonly Dictionary<string, string> Preheader = new()
    {
        ["en"] = "takes about 5 minutes; open until 15 March 2027 (6 days left)",
        ["pl"] = "zajmie około 5 minut; otwarta do 15 marca 2027 (zostało 6 dni)",
        ["da"] = "tager cirka 10 minutter; åbent til og med 15. marts 2027 (6 dage tilbage)",
    };

    private static string Label(string language) => language switch
    {
        "pl" => "Rozpocznij ankietę",
        "da" => "Start spørgeskemaet",
        _ => "Start the questionnaire",
    };

    /// <summary>Under tests/RecoveryStudy.Tests/TestResults/emails (ignored by git), for a person to look at.</summary>
    private static string ScreenshotPath(string name)
    {
        var project = new DirectoryInfo(AppContext.BaseDirectory);
        while (project is not null && !File.Exists(Path.Combine(project.FullName, "RecoveryStudy.Tests.csproj")))
        {
            project = project.Parent;
        }
        var folder = Path.Combine(project?.FullName ?? AppContext.BaseDirectory, "TestResults", "emails");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
