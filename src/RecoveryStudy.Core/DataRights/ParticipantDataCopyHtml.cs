using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace RecoveryStudy.DataRights;

/// <summary>
/// A <see cref="ParticipantDataCopy"/> as one self-contained HTML document (inline style, no
/// scripts, no links to fetch), readable offline and fit to attach to an email. Every value is
/// HTML-encoded: answers are the participant's own free text. Headings and labels in the language
/// asked for (<see cref="DataCopyWords"/>): the participant's own when it goes to them by email.
/// </summary>
public static class ParticipantDataCopyHtml
{
    public static string Render(ParticipantDataCopy copy, string? language = null)
    {
        var w = DataCopyWords.For(language);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(w.Language).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(HtmlEncode(w.Title(copy.Study))).Append("</title>")
            .Append("<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}")
            .Append("table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left;vertical-align:top}</style>")
            .Append("</head><body>\n");
        html.Append("<h1>").Append(HtmlEncode(w.Title(copy.Study))).Append("</h1>\n<p>").Append(HtmlEncode(w.MadeOn(Time(copy.MadeAt)!))).Append("</p>\n");

        var r = copy.Roster;
        html.Append("<h2>").Append(HtmlEncode(w.Enrolment)).Append("</h2>\n<table>");
        Row(html, w.ParticipantCode, r.Code);
        Row(html, w.Cohort, r.Cohort);
        Row(html, w.Role, r.Role);
        Row(html, w.LanguageLabel, r.Language);
        Row(html, w.TimeZone, r.TimeZone);
        Row(html, w.EnrolledOn, r.EnrolledOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row(html, w.Email, r.Email);
        Row(html, w.Name, r.Name);
        Row(html, w.FirstName, r.FirstName);
        foreach (var (name, date) in r.OwnAnchorDates)
        {
            Row(html, w.Date + " " + name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        html.Append("</table>\n");

        var s = copy.State;
        html.Append("<h2>").Append(HtmlEncode(w.Participation)).Append("</h2>\n<table>");
        Row(html, w.Status, s.Status);
        Row(html, w.WithdrawnAt, Time(s.WithdrawnAt));
        Row(html, w.WithdrawalReason, s.WithdrawalReason);
        Row(html, w.NoEmailSince, Time(s.OptedOutOfEmailAt));
        Row(html, w.UndeliverableSince, Time(s.AddressUndeliverableSince));
        html.Append("</table>\n");

        html.Append("<h2>").Append(HtmlEncode(w.WavesAndAnswers)).Append("</h2>\n");
        foreach (var wave in copy.Waves)
        {
            html.Append("<h3>").Append(HtmlEncode(w.Wave + " " + wave.Wave)).Append("</h3>\n<p>")
                .Append(HtmlEncode(w.WaveLine(wave.Status, wave.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Time(wave.InvitedAt) ?? "–", Time(wave.CompletedAt) ?? "–")))
                .Append("</p>\n");
            foreach (var response in wave.Responses)
            {
                html.Append("<table><caption>").Append(HtmlEncode(response.Title)).Append(" (").Append(HtmlEncode(response.Instrument))
                    .Append(' ').Append(HtmlEncode(w.Version)).Append(' ').Append(response.InstrumentVersion.ToString(CultureInfo.InvariantCulture)).Append(", ").Append(HtmlEncode(response.Status))
                    .Append(")</caption><thead><tr><th scope=\"col\">").Append(HtmlEncode(w.Question)).Append("</th><th scope=\"col\">").Append(HtmlEncode(w.YourAnswer))
                    .Append("</th></tr></thead><tbody>");
                foreach (var answer in response.Answers)
                {
                    Row(html, answer.Question, answer.Answer);
                }
                html.Append("</tbody></table>\n");
            }
        }

        html.Append("<h2>").Append(HtmlEncode(w.Consent)).Append("</h2>\n<table><thead><tr>");
        Headings(html, w.ConsentText, w.YourAnswer, w.Clauses, w.When);
        foreach (var consent in copy.Consents)
        {
            var clauses = string.Join(", ", consent.Clauses.Select(c => c.Key + ": " + (c.Value ? w.Yes : w.No)));
            html.Append("<tr><td>").Append(HtmlEncode(consent.Consent + " " + w.Version + " " + consent.Version.ToString(CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(HtmlEncode(consent.Decision)).Append("</td><td>").Append(HtmlEncode(clauses.Length > 0 ? clauses : "–"))
                .Append("</td><td>").Append(Time(consent.GivenAt)).Append("</td></tr>");
        }
        html.Append("</tbody></table>\n");

        html.Append("<h2>").Append(HtmlEncode(w.Emails)).Append("</h2>\n<table><thead><tr>");
        Headings(html, w.Wave, w.Email, w.Status, w.Sent);
        foreach (var email in copy.Emails)
        {
            var step = email.Kind == "reminder" ? w.Reminder + " " + email.Step.ToString(CultureInfo.InvariantCulture) : email.Kind.Replace('_', ' ');
            html.Append("<tr><td>").Append(HtmlEncode(email.Wave)).Append("</td><td>").Append(HtmlEncode(step)).Append("</td><td>")
                .Append(HtmlEncode(email.Status)).Append("</td><td>").Append(Time(email.SentAt) ?? "–").Append("</td></tr>");
        }
        html.Append("</tbody></table>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>The column headings and the start of the table's body.</summary>
    private static void Headings(StringBuilder html, params string[] headings)
    {
        foreach (var heading in headings)
        {
            html.Append("<th scope=\"col\">").Append(HtmlEncode(heading)).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
    }

    private static void Row(StringBuilder html, string label, string? value) =>
        html.Append("<tr><th scope=\"row\">").Append(HtmlEncode(label)).Append("</th><td>").Append(HtmlEncode(value ?? "–")).Append("</td></tr>");

    private static string? Time(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
