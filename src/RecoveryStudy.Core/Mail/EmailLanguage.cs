using System.Globalization;

namespace RecoveryStudy.Mail;

/// <summary>
/// The fixed words of an email that the protocol does not provide, per language: the greeting,
/// the button, the date, how long and how many days are left, the preheader's labels and the
/// unsubscribe footer. Protocol texts come from the wave. English is the fallback for a language
/// without its own words here.
/// </summary>
internal static class EmailLanguage
{
    /// <summary>
    /// The greeting, without its comma (the template adds it). By first name where one is held;
    /// otherwise a neutral greeting, never "Dear participant". Polish addresses a person by name in
    /// the vocative, which depends on the name and on gender that the platform does not hold
    /// ("Anno", "Piotrze"), so Polish always greets with the neutral "Dzień dobry".
    /// </summary>
    public static string Salutation(string language, string? firstName)
    {
        var name = string.IsNullOrWhiteSpace(firstName) ? null : firstName.Trim();
        return language switch
        {
            "pl" => "Dzień dobry",
            "da" => name is null ? "Hej" : "Hej " + name,
            _ => name is null ? "Hello" : "Hello " + name,
        };
    }

    /// <summary>The button's label.</summary>
    public static string StartButton(string language) => language switch
    {
        "pl" => "Rozpocznij ankietę",
        "da" => "Start spørgeskemaet",
        _ => "Start the questionnaire",
    };

    public static string Date(string language, DateOnly date) => language switch
    {
        "pl" => date.ToString("d MMMM yyyy", Culture("pl-PL")),
        "da" => date.ToString("d. MMMM yyyy", Culture("da-DK")),
        _ => date.ToString("d MMMM yyyy", Culture("en-GB")),
    };

    /// <summary>How long the questionnaire takes, as a phrase: "about 5 minutes", "około 5 minut", "cirka 5 minutter".</summary>
    public static string Duration(string language, int minutes) => (language, minutes) switch
    {
        ("pl", <= 0) => "kilka minut",
        ("pl", 1) => "około minuty",
        ("pl", _) => "około " + Number(minutes) + " " + PolishPlural(minutes, "minuta", "minuty", "minut"),
        ("da", <= 0) => "få minutter",
        ("da", 1) => "cirka et minut",
        ("da", _) => "cirka " + Number(minutes) + " minutter",
        (_, <= 0) => "a few minutes",
        (_, 1) => "about a minute",
        _ => "about " + Number(minutes) + " minutes",
    };

    /// <summary>
    /// The days left, counting today, as a phrase: "6 days left", "zostały 3 dni", "6 dage tilbage";
    /// on the last day (or later) that it is the last day.
    /// </summary>
    public static string DaysLeft(string language, int days) => (language, days) switch
    {
        ("pl", <= 1) => "dziś ostatni dzień",
        ("pl", _) => PolishPlural(days, "został", "zostały", "zostało") + " " + Number(days) + " dni",
        ("da", <= 1) => "i dag er sidste dag",
        ("da", _) => Number(days) + " dage tilbage",
        (_, <= 1) => "today is the last day",
        _ => Number(days) + " days left",
    };

    /// <summary>The preheader (the line mail clients show after the subject): what it is, how long, until when.</summary>
    public static string Preheader(string language, bool reminder, string duration, string closeDate, string daysLeft) => language switch
    {
        "pl" => (reminder ? "Przypomnienie: " : "") + $"ankieta zajmie {duration}; otwarta do {closeDate} ({daysLeft}).",
        "da" => (reminder ? "Påmindelse: " : "") + $"spørgeskemaet tager {duration}; åbent til og med {closeDate} ({daysLeft}).",
        _ => (reminder ? "Reminder: " : "") + $"the questionnaire takes {duration}; open until {closeDate} ({daysLeft}).",
    };

    public static string UnsubscribeFooter(string language) => language switch
    {
        "pl" => "Aby nie otrzymywać więcej wiadomości lub wycofać się z badania:",
        "da" => "Hvis du ikke vil have flere e-mails eller vil trække dig fra undersøgelsen:",
        _ => "To stop these emails or to withdraw from the study:",
    };

    /// <summary>Polish plurals: one (1), few (2-4, 22-24, ... but not 12-14), many (the rest).</summary>
    private static string PolishPlural(int n, string one, string few, string many) =>
        n == 1 ? one : n % 10 is >= 2 and <= 4 && n % 100 is not (>= 12 and <= 14) ? few : many;

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static CultureInfo Culture(string name) => CultureInfo.GetCultureInfo(name);
}
