using System.Globalization;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console;

/// <summary>
/// Labels with a count come in three forms, keys ending in _One, _Few and _Many: Polish says
/// 1 zaproszenie, 2–4 zaproszenia, 5 zaproszeń (and 22 zaproszenia, 12 zaproszeń), while English
/// and Danish use _One for 1 and _Many otherwise (their _Few repeats _Many so the key sets match).
/// </summary>
public static class ConsolePlural
{
    public static LocalizedString Plural(this IStringLocalizer<ConsoleText> text, string key, long count) =>
        text[key + "_" + Form(count, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName), count];

    public static string Form(long count, string language)
    {
        if (count == 1)
        {
            return "One";
        }
        if (language != "pl")
        {
            return "Many";
        }
        var lastDigit = Math.Abs(count) % 10;
        var lastTwo = Math.Abs(count) % 100;
        return lastDigit is >= 2 and <= 4 && lastTwo is < 12 or > 14 ? "Few" : "Many";
    }
}
