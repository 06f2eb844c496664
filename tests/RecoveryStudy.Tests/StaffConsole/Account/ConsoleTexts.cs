using System.Collections;
using System.Globalization;
using System.Net;
using System.Resources;
using System.Text.RegularExpressions;
using RecoveryStudy.Web.Pages.Console;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>The console's resx labels, and the texts a rendered page shows, for comparing the two.</summary>
internal static partial class ConsoleTexts
{
    private static readonly ResourceManager Resources = new(typeof(ConsoleText).FullName!, typeof(ConsoleText).Assembly);

    public static Dictionary<string, string> Of(string language) =>
        Resources.GetResourceSet(language == "en" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(language), true, false)!
            .Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    public static string[] Placeholders(string label) => Placeholder().Matches(label).Select(m => m.Value).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// English labels that the language translates differently, as patterns of a whole text (a
    /// placeholder matches anything). Labels with too little fixed text to tell apart ("{0} to {1}")
    /// are left out, so a participant code or a date does not count as English.
    /// </summary>
    public static List<Regex> EnglishOnly(string language)
    {
        var english = Of("en");
        var own = Of(language);
        // "Role" is English for one role and Polish for several: a text that is also a label of the language is not English.
        var ownValues = own.Values.ToHashSet(StringComparer.Ordinal);
        return english.Where(e => own[e.Key] != e.Value && !ownValues.Contains(e.Value) && Letters(e.Value) >= 4).Select(e => Pattern(e.Value)).ToList();
    }

    /// <summary>A short label must be the whole text; a long one is found inside a text too ("Schedule preview: every wave's…").</summary>
    private static Regex Pattern(string label)
    {
        var body = string.Join("(.*?)", Placeholder().Split(Normal(label)).Select(Regex.Escape));
        return new Regex(Letters(label) >= 12 ? $@"(?<!\w){body}(?!\w)" : $"^{body}$", RegexOptions.Singleline);
    }

    private static int Letters(string label) => Placeholder().Replace(label, "").Count(char.IsLetter);

    /// <summary>Every text between tags and every aria-label of a page, decoded and with spaces collapsed.</summary>
    public static IEnumerable<string> Texts(string html)
    {
        var body = Scripts().Replace(html, "");
        foreach (Match m in Between().Matches(body))
        {
            var text = Normal(WebUtility.HtmlDecode(m.Groups[1].Value));
            if (text.Length > 0)
            {
                yield return text;
            }
        }
        foreach (Match m in AriaLabel().Matches(body))
        {
            yield return Normal(WebUtility.HtmlDecode(m.Groups[1].Value));
        }
    }

    private static string Normal(string text) => Spaces().Replace(text, " ").Trim();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@">([^<]+)<")]
    private static partial Regex Between();

    [GeneratedRegex("aria-label=\"([^\"]*)\"")]
    private static partial Regex AriaLabel();

    [GeneratedRegex(@"<(script|style)\b.*?</\1>", RegexOptions.Singleline)]
    private static partial Regex Scripts();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
