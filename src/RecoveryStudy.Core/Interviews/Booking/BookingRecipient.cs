using System.Text.Json;
using Dapper;
using MimeKit;
using Npgsql;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>
/// The participant of a booking email as read in its claim: who, in which language, the titles, the
/// time concerned and the study's sending rules. Codes, titles, times and the address; never answers.
/// </summary>
internal sealed class BookingRecipient
{
    /// <summary>The columns of a recipient; the query joins t (task), w, p, s and c (contact details).</summary>
    public const string Columns = """
        t.id AS TaskId, p.id AS ParticipantId, p.language AS Language, p.time_zone AS TimeZone,
        s.default_language AS DefaultLanguage, s.title::text AS StudyTitle, w.title::text AS WaveTitle,
        s.sender_name AS SenderName, s.sender_email AS SenderEmail, s.contact_email AS ContactEmail,
        s.time_zone AS StudyTimeZone, s.send_time AS SendTime, s.send_hours_start AS SendHoursStart, s.send_hours_end AS SendHoursEnd,
        s.send_days AS SendDays, s.max_emails_per_participant_per_day AS MaxEmailsPerParticipantPerDay,
        c.email AS Email, c.name AS Name, c.first_name AS FirstName
        """;

    public const string Joins = """
        JOIN waves w ON w.id = t.wave_id JOIN participants p ON p.id = t.participant_id JOIN studies s ON s.id = t.study_id
        JOIN contact_details c ON c.participant_id = p.id
        """;

    /// <summary>The participant may get email at all (withdrawn, opted out, undeliverable, no address or a study not active: never).</summary>
    public const string MayEmail = """
        p.status = 'active' AND p.opted_out_at IS NULL AND p.undeliverable_at IS NULL AND s.status = 'active'
        AND c.email IS NOT NULL AND c.email <> ''
        """;

    /// <summary>The claim: the task, the slot or the cancellation the email is about.</summary>
    public long Reference { get; init; }
    public long TaskId { get; init; }
    public int ParticipantId { get; init; }
    public DateTime? StartsAt { get; init; }
    public DateTime? EndsAt { get; init; }
    public string? Mode { get; init; }

    /// <summary>For a cancellation: who ended the booking (<see cref="BookingCancellationCause"/>).</summary>
    public string? Cause { get; init; }
    public string Language { get; init; } = "en";
    public string TimeZone { get; init; } = "UTC";
    public string DefaultLanguage { get; init; } = "en";
    public string StudyTitle { get; init; } = "{}";
    public string WaveTitle { get; init; } = "{}";
    public string SenderName { get; init; } = "";
    public string SenderEmail { get; init; } = "";
    public string? ContactEmail { get; init; }
    public string StudyTimeZone { get; init; } = "UTC";
    public TimeSpan SendTime { get; init; }
    public TimeSpan SendHoursStart { get; init; }
    public TimeSpan SendHoursEnd { get; init; }
    public int[] SendDays { get; init; } = [];
    public int MaxEmailsPerParticipantPerDay { get; init; }
    public string Email { get; init; } = "";
    public string? Name { get; init; }
    public string? FirstName { get; init; }

    public int Minutes => StartsAt is DateTime s && EndsAt is DateTime e ? (int)(e - s).TotalMinutes : 0;

    /// <summary>
    /// The recipients that may be emailed now under the one gate (<see cref="MailGate"/>): inside the
    /// study's sending hours, under the daily cap, and within the relay's quota shared by all nodes;
    /// the rest wait for a later run. Logged as direct emails so that the cap counts them.
    /// </summary>
    public static async Task<List<BookingRecipient>> AdmitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<BookingRecipient> due, string relay, MailOptions options, DateTime now)
    {
        if (due.Count == 0)
        {
            return [];
        }
        var recent = await MailGate.SentRecentlyAsync(connection, transaction, due.Select(d => d.ParticipantId), now);
        var instant = ScheduleMath.ToInstant(now);
        var sendable = new List<BookingRecipient>();
        foreach (var recipient in due)
        {
            var rules = MailGate.Rules(recipient.TimeZone, recipient.StudyTimeZone, recipient.SendTime, recipient.SendHoursStart,
                recipient.SendHoursEnd, recipient.SendDays, recipient.MaxEmailsPerParticipantPerDay);
            var today = MailGate.SentToday(rules, recent, recipient.ParticipantId, instant) + sendable.Count(s => s.ParticipantId == recipient.ParticipantId);
            if (MailGate.HoldUntil(rules, instant, today) is null)
            {
                sendable.Add(recipient);
            }
        }
        var (granted, _) = await MailGate.QuotaAsync(connection, transaction, relay, sendable.Count, options, now);
        return sendable.Take(granted).ToList();
    }

    /// <summary>Logs the claimed emails for the daily cap, in the claiming transaction.</summary>
    public static Task LogAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string kind, IEnumerable<BookingRecipient> claimed, DateTime now) =>
        connection.ExecuteAsync(
            "INSERT INTO direct_emails (participant_id, kind, reference, claimed_at) SELECT p, @kind, r, @now FROM unnest(@participants, @references) AS x(p, r)",
            new { kind, now, participants = claimed.Select(c => c.ParticipantId).ToArray(), references = claimed.Select(c => c.Reference).ToArray() }, transaction);

    /// <summary>Releases claims never delivered: the claim's own statement, and their log entries.</summary>
    public static async Task ReleaseAsync(NpgsqlDataSource dataSource, string releaseSql, string kind, long[] ids, DateTime claimedAt)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(releaseSql, new { ids });
        await connection.ExecuteAsync("DELETE FROM direct_emails WHERE kind = @kind AND reference = ANY(@ids) AND claimed_at = @claimedAt",
            new { kind, ids, claimedAt });
    }

    /// <summary>What composing the email needs, in the participant's language (else the study's, else English).</summary>
    public BookingEmailInput Input(string kind, DateTime now)
    {
        var language = Language is "en" or "pl" or "da" ? Language : DefaultLanguage is "pl" or "da" ? DefaultLanguage : "en";
        var domain = SenderEmail[(SenderEmail.IndexOf('@') + 1)..];
        return new BookingEmailInput(language, FirstName, Text(StudyTitle, language, DefaultLanguage), Text(WaveTitle, language, DefaultLanguage),
            SenderName, SenderEmail, ContactEmail, Email, Name, $"rs.{kind}.{Reference}@{domain}", new DateTimeOffset(now, TimeSpan.Zero));
    }

    /// <summary>The email composed, or null when the stored address is one the relay must not get.</summary>
    public MimeMessage? Compose(Func<BookingRecipient, MimeMessage> compose) =>
        EmailAddressRules.Problem(Email) is null ? compose(this) : null;

    private static string Text(string json, string language, string fallback) =>
        (JsonSerializer.Deserialize<LocalizedText>(json) ?? new LocalizedText()).For(language, fallback);
}
