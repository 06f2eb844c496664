using System.Globalization;
using MimeKit;
using NodaTime;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>What a booking email is made of, read at send time: codes, titles, times and the address; never answers.</summary>
public sealed record BookingEmailInput(
    string Language, string? FirstName, string StudyTitle, string WaveTitle, string SenderName, string SenderEmail, string? ReplyTo,
    string RecipientEmail, string? RecipientName, string MessageId, DateTimeOffset Date);

/// <summary>
/// The two participant emails of interview booking, in English, Polish or Danish (the participant's
/// language, else English): the invitation with the personal booking link, and the confirmation of
/// a booked time in the participant's own zone with the zone named. Fixed texts, not protocol texts:
/// an interview wave has no email texts of its own. Plain text: one link, no layout needed.
/// </summary>
public static class BookingEmails
{
    public static MimeMessage Invitation(BookingEmailInput input, string link)
    {
        var (subject, body) = input.Language switch
        {
            "pl" => ($"{input.StudyTitle}: umów termin rozmowy",
                $"Chcielibyśmy porozmawiać z Panią/Panem w ramach rozmowy „{input.WaveTitle}”. Prosimy wybrać jeden z proponowanych terminów:\n\n{link}\n\n"
                + "Link jest osobisty, prosimy go nie przekazywać. Na tej samej stronie można zmienić lub odwołać wybrany termin do chwili rozpoczęcia rozmowy."),
            "da" => ($"{input.StudyTitle}: book en tid til samtalen",
                $"Vi vil gerne tale med dig til samtalen »{input.WaveTitle}«. Vælg en af de tider, vi tilbyder:\n\n{link}\n\n"
                + "Linket er personligt; send det ikke videre. På samme side kan du ændre eller aflyse tiden, indtil samtalen begynder."),
            _ => ($"{input.StudyTitle}: book a time for your interview",
                $"We would like to talk with you for the interview “{input.WaveTitle}”. Please choose one of the times we offer:\n\n{link}\n\n"
                + "The link is personal; please do not forward it. On the same page you can change or cancel the time until the interview starts."),
        };
        return Message(input, subject, body);
    }

    public static MimeMessage Confirmation(BookingEmailInput input, DateTime startsAtUtc, int minutes, string mode, string timeZone)
    {
        var when = LocalTime(input.Language, startsAtUtc, timeZone);
        var how = ModeText(input.Language, mode);
        var (subject, body) = input.Language switch
        {
            "pl" => ($"{input.StudyTitle}: termin rozmowy potwierdzony",
                $"Potwierdzamy termin rozmowy „{input.WaveTitle}”: {when}, około {minutes} min, {how}.\n\n"
                + "Aby zmienić lub odwołać termin, prosimy użyć linku z naszego zaproszenia."),
            "da" => ($"{input.StudyTitle}: tiden til samtalen er bekræftet",
                $"Vi bekræfter tiden til samtalen »{input.WaveTitle}«: {when}, cirka {minutes} minutter, {how}.\n\n"
                + "Du kan ændre eller aflyse tiden med linket i vores invitation."),
            _ => ($"{input.StudyTitle}: your interview time is confirmed",
                $"We confirm the time of the interview “{input.WaveTitle}”: {when}, about {minutes} minutes, {how}.\n\n"
                + "To change or cancel it, please use the link in our invitation."),
        };
        return Message(input, subject, body);
    }

    /// <summary>"Thursday 24 February 2028, 10:30 (Europe/Warsaw)" in the language's own words and order.</summary>
    public static string LocalTime(string language, DateTime utc, string timeZone)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? DateTimeZone.Utc;
        var local = Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(zone).LocalDateTime.ToDateTimeUnspecified();
        var (culture, pattern) = language switch
        {
            "pl" => ("pl-PL", "dddd, d MMMM yyyy, 'godz.' HH':'mm"),
            "da" => ("da-DK", "dddd 'den' d. MMMM yyyy 'kl.' HH':'mm"),
            _ => ("en-GB", "dddd d MMMM yyyy, HH':'mm"),
        };
        return local.ToString(pattern, CultureInfo.GetCultureInfo(culture)) + " (" + zone.Id + ")";
    }

    public static string ModeText(string language, string mode) => (language, mode) switch
    {
        ("pl", InterviewMode.InPerson) => "osobiście",
        ("pl", InterviewMode.Phone) => "telefonicznie",
        ("pl", _) => "przez połączenie wideo",
        ("da", InterviewMode.InPerson) => "ved personligt fremmøde",
        ("da", InterviewMode.Phone) => "over telefonen",
        ("da", _) => "over video",
        (_, InterviewMode.InPerson) => "in person",
        (_, InterviewMode.Phone) => "by phone",
        _ => "by video call",
    };

    internal static MimeMessage Message(BookingEmailInput input, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(input.SenderName, input.SenderEmail));
        message.To.Add(new MailboxAddress(input.RecipientName ?? "", input.RecipientEmail));
        if (!string.IsNullOrWhiteSpace(input.ReplyTo))
        {
            message.ReplyTo.Add(MailboxAddress.Parse(input.ReplyTo));
        }
        message.Subject = subject;
        message.MessageId = input.MessageId;
        message.Date = input.Date;
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var greeting = EmailLanguage.Salutation(input.Language, input.FirstName) + ",";
        message.Body = new TextPart("plain") { Text = greeting + "\n\n" + body + "\n\n-- \n" + input.SenderName + "\n" };
        return message;
    }
}
