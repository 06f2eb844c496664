using System.Globalization;

namespace RecoveryStudy.Mail;

/// <summary>
/// The few fixed words of an email that the protocol does not provide, per language: the
/// salutation, the date format and the unsubscribe footer. Protocol texts come from the wave.
/// </summary>
internal static class EmailLanguage
{
    /// <summary>
    /// The greeting, without punctuation (the protocol text adds its own). Polish forms of
    /// address depend on gender and case that the platform does not hold, so Polish greets
    /// without the name.
    /// </summary>
    public static string Salutation(string language, string? name) => (language, string.IsNullOrWhiteSpace(name)) switch
    {
        ("pl", _) => "Dzień dobry",
        ("da", false) => "Kære " + name!.Trim(),
        ("da", true) => "Kære deltager",
        (_, false) => "Dear " + name!.Trim(),
        _ => "Dear participant",
    };

    public static string Date(string language, DateOnly date) => language switch
    {
        "pl" => date.ToString("d MMMM yyyy", Culture("pl-PL")),
        "da" => date.ToString("d. MMMM yyyy", Culture("da-DK")),
        _ => date.ToString("d MMMM yyyy", Culture("en-GB")),
    };

    public static string UnsubscribeFooter(string language) => language switch
    {
        "pl" => "Aby nie otrzymywać więcej wiadomości lub wycofać się z badania:",
        "da" => "Hvis du ikke vil have flere e-mails eller vil trække dig fra undersøgelsen:",
        _ => "To stop these emails or to withdraw from the study:",
    };

    private static CultureInfo Culture(string name) => CultureInfo.GetCultureInfo(name);
}
