using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace RecoveryStudy.DataRights;

/// <summary>
/// A <see cref="ParticipantDataCopy"/> as one self-contained HTML document (inline style, no
/// scripts, no links to fetch), readable offline and fit to attach to an email. Every value is
/// HTML-encoded: answers are the participant's own free text.
/// </summary>
public static class ParticipantDataCopyHtml
{
    public static string Render(ParticipantDataCopy copy)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>Your data in study ").Append(HtmlEncode(copy.Study)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}")
            .Append("table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left;vertical-align:top}</style>")
            .Append("</head><body>\n");
        html.Append("<h1>Your data in study ").Append(HtmlEncode(copy.Study)).Append("</h1>\n<p>Made on ").Append(Time(copy.MadeAt)).Append(" (UTC).</p>\n");

        var r = copy.Roster;
        html.Append("<h2>Enrolment and contact details</h2>\n<table>");
        Row(html, "Participant code", r.Code);
        Row(html, "Cohort", r.Cohort);
        Row(html, "Role", r.Role);
        Row(html, "Language", r.Language);
        Row(html, "Time zone", r.TimeZone);
        Row(html, "Enrolled on", r.EnrolledOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row(html, "Email", r.Email);
        Row(html, "Name", r.Name);
        Row(html, "First name", r.FirstName);
        foreach (var (name, date) in r.OwnAnchorDates)
        {
            Row(html, "Date " + name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        html.Append("</table>\n");

        var s = copy.State;
        html.Append("<h2>Participation</h2>\n<table>");
        Row(html, "Status", s.Status);
        Row(html, "Withdrawn at", Time(s.WithdrawnAt));
        Row(html, "Reason for withdrawal", s.WithdrawalReason);
        Row(html, "No email wanted since", Time(s.OptedOutOfEmailAt));
        Row(html, "Address undeliverable since", Time(s.AddressUndeliverableSince));
        html.Append("</table>\n");

        html.Append("<h2>Waves and answers</h2>\n");
        foreach (var wave in copy.Waves)
        {
            html.Append("<h3>Wave ").Append(HtmlEncode(wave.Wave)).Append("</h3>\n<p>Status ").Append(HtmlEncode(wave.Status))
                .Append(", due ").Append(wave.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Append(", invited ").Append(Time(wave.InvitedAt) ?? "–").Append(", completed ").Append(Time(wave.CompletedAt) ?? "–").Append(".</p>\n");
            foreach (var response in wave.Responses)
            {
                html.Append("<table><caption>").Append(HtmlEncode(response.Title)).Append(" (").Append(HtmlEncode(response.Instrument))
                    .Append(" version ").Append(response.InstrumentVersion.ToString(CultureInfo.InvariantCulture)).Append(", ").Append(HtmlEncode(response.Status))
                    .Append(")</caption><thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Your answer</th></tr></thead><tbody>");
                foreach (var answer in response.Answers)
                {
                    Row(html, answer.Question, answer.Answer);
                }
                html.Append("</tbody></table>\n");
            }
        }

        html.Append("<h2>Consent</h2>\n<table><thead><tr><th scope=\"col\">Consent text</th><th scope=\"col\">Your answer</th><th scope=\"col\">Clauses</th><th scope=\"col\">When (UTC)</th></tr></thead><tbody>");
        foreach (var consent in copy.Consents)
        {
            var clauses = string.Join(", ", consent.Clauses.Select(c => c.Key + ": " + (c.Value ? "yes" : "no")));
            html.Append("<tr><td>").Append(HtmlEncode(consent.Consent + " version " + consent.Version.ToString(CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(HtmlEncode(consent.Decision)).Append("</td><td>").Append(HtmlEncode(clauses.Length > 0 ? clauses : "–"))
                .Append("</td><td>").Append(Time(consent.GivenAt)).Append("</td></tr>");
        }
        html.Append("</tbody></table>\n");

        html.Append("<h2>Emails</h2>\n<table><thead><tr><th scope=\"col\">Wave</th><th scope=\"col\">Email</th><th scope=\"col\">Status</th><th scope=\"col\">Sent (UTC)</th></tr></thead><tbody>");
        foreach (var email in copy.Emails)
        {
            var step = email.Kind == "reminder" ? "reminder " + email.Step.ToString(CultureInfo.InvariantCulture) : email.Kind.Replace('_', ' ');
            html.Append("<tr><td>").Append(HtmlEncode(email.Wave)).Append("</td><td>").Append(HtmlEncode(step)).Append("</td><td>")
                .Append(HtmlEncode(email.Status)).Append("</td><td>").Append(Time(email.SentAt) ?? "–").Append("</td></tr>");
        }
        html.Append("</tbody></table>\n</body></html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string label, string? value) =>
        html.Append("<tr><th scope=\"row\">").Append(HtmlEncode(label)).Append("</th><td>").Append(HtmlEncode(value ?? "–")).Append("</td></tr>");

    private static string? Time(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
