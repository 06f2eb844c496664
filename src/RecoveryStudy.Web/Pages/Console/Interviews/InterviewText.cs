using System.Globalization;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>
/// An interview task's status, an interview's mode and a file's kind as words in the staff member's
/// language (keys Interviews_Status_, Interviews_Mode_, Interviews_Kind_ plus the code). A code without
/// a key reads as the code, so a new value shows up rather than vanishing.
/// </summary>
public static class InterviewText
{
    public static string InterviewStatus(this IStringLocalizer<ConsoleText> text, string status) => Word(text, "Interviews_Status_", status);

    public static string InterviewMode(this IStringLocalizer<ConsoleText> text, string? mode) => mode is null ? "" : Word(text, "Interviews_Mode_", mode);

    public static string FileKind(this IStringLocalizer<ConsoleText> text, string kind) => Word(text, "Interviews_Kind_", kind);

    /// <summary>A label with a count in its plural form (see <see cref="ConsolePlural"/>) and more values after the count ({1}, {2}...).</summary>
    public static LocalizedString PluralWith(this IStringLocalizer<ConsoleText> text, string key, long count, params object[] more) =>
        text[key + "_" + ConsolePlural.Form(count, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName), [count, .. more]];

    /// <summary>A window's or a record's day as the console shows dates, the same in every language.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Word(IStringLocalizer<ConsoleText> text, string prefix, string code)
    {
        var label = text[prefix + code];
        return label.ResourceNotFound ? code.Replace('_', ' ') : label.Value;
    }
}
