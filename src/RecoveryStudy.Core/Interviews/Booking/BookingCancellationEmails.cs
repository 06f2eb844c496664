using System.Globalization;
using MimeKit;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>
/// The emails about a cancelled booking. The participant's, in English, Polish or Danish: a notice
/// when staff cancelled the booking or withdrew the booked time, a short confirmation when they
/// cancelled it themselves; the time in their own zone with the zone named. The interviewer's, in
/// English like the interviewer reminders: codes and the time in the study's zone, never a name.
/// </summary>
public static class BookingCancellationEmails
{
    public static MimeMessage Participant(BookingEmailInput input, string cause, DateTime startsAtUtc, string timeZone)
    {
        var when = BookingEmails.LocalTime(input.Language, startsAtUtc, timeZone);
        var self = cause == BookingCancellationCause.Participant;
        var (subject, body) = (input.Language, self) switch
        {
            ("pl", true) => ($"{input.StudyTitle}: potwierdzenie odwołania terminu",
                $"Potwierdzamy odwołanie terminu rozmowy „{input.WaveTitle}”: {when}.\n\nInny termin można wybrać, korzystając z linku z naszego zaproszenia."),
            ("pl", false) => ($"{input.StudyTitle}: termin rozmowy odwołany",
                $"Niestety musimy odwołać termin rozmowy „{input.WaveTitle}”: {when}. Przepraszamy.\n\n"
                + "Nowy termin można wybrać, korzystając z linku z naszego zaproszenia, gdy tylko zaproponujemy kolejne terminy."),
            ("da", true) => ($"{input.StudyTitle}: din aflysning er modtaget",
                $"Vi bekræfter, at du har aflyst tiden til samtalen »{input.WaveTitle}«: {when}.\n\nDu kan vælge en anden tid med linket i vores invitation."),
            ("da", false) => ($"{input.StudyTitle}: tiden til samtalen er aflyst",
                $"Vi må desværre aflyse tiden til samtalen »{input.WaveTitle}«: {when}. Vi beklager.\n\n"
                + "Du kan vælge en ny tid med linket i vores invitation, så snart vi tilbyder nye tider."),
            (_, true) => ($"{input.StudyTitle}: your cancellation is confirmed",
                $"We confirm that you cancelled the time of the interview “{input.WaveTitle}”: {when}.\n\nYou can choose another time with the link in our invitation."),
            _ => ($"{input.StudyTitle}: your interview time is cancelled",
                $"We are sorry, we have to cancel the time of the interview “{input.WaveTitle}”: {when}.\n\n"
                + "You can choose a new time with the link in our invitation as soon as we offer new times."),
        };
        return BookingEmails.Message(input, subject, body);
    }

    /// <summary>What the interviewer's email says: codes, the time and who cancelled.</summary>
    public sealed class InterviewerInput
    {
        public long CancellationId { get; init; }
        public long TaskId { get; init; }
        public int StudyId { get; init; }
        public string StudyCode { get; init; } = "";
        public string StudyTimeZone { get; init; } = "UTC";
        public string ParticipantCode { get; init; } = "";
        public string WaveCode { get; init; } = "";
        public DateTime StartsAt { get; init; }
        public int Minutes { get; init; }
        public string Mode { get; init; } = "";
        public string Cause { get; init; } = "";
        public string SenderName { get; init; } = "";
        public string SenderEmail { get; init; } = "";
        public string InterviewerEmail { get; init; } = "";
    }

    public static MimeMessage Interviewer(InterviewerInput input, string publicBaseUrl)
    {
        var when = BookingEmails.LocalTime("en", input.StartsAt, input.StudyTimeZone);
        var by = input.Cause switch
        {
            BookingCancellationCause.Participant => "by the participant",
            BookingCancellationCause.SlotWithdrawn => "because the booked time was withdrawn",
            _ => "by the study team",
        };
        var link = $"{publicBaseUrl.TrimEnd('/')}/studies/{input.StudyId}/interviews/{input.TaskId}";
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(input.SenderName, input.SenderEmail));
        message.To.Add(MailboxAddress.Parse(input.InterviewerEmail));
        message.Subject = $"Booking cancelled: interview {input.WaveCode} with {input.ParticipantCode} ({input.StudyCode})";
        message.MessageId = string.Create(CultureInfo.InvariantCulture,
            $"rs.cancelled-interviewer.{input.CancellationId}@{input.SenderEmail[(input.SenderEmail.IndexOf('@') + 1)..]}");
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new TextPart("plain")
        {
            Text = $"The booked time of interview {input.WaveCode} with participant {input.ParticipantCode} in study {input.StudyCode}, "
                + $"{when}, about {input.Minutes} minutes, {BookingEmails.ModeText("en", input.Mode)}, was cancelled {by}.\n\nSee the task: {link}\n",
        };
        return message;
    }
}
