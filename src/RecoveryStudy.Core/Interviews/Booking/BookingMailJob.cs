using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>
/// The `interview-bookings` job: emails the participant of an open task of a booking wave a personal
/// link to book one of the offered times (once the first future time is offered), and confirms each
/// booked time. Never twice: an invitation is claimed by inserting the task's one booking link (unique
/// per task, only the token's hash stored), a confirmation by setting confirmation_sent_at (FOR UPDATE
/// SKIP LOCKED), each committed before the relay is contacted; only an outcome certain not to have been
/// delivered (4xx, relay unreachable, not attempted) releases the claim for the next run. Whether the
/// participant may get email (withdrawn, opted out, undeliverable, no address, study not active) is
/// checked in the claim. These few emails go to the relay directly, like the interviewer reminders:
/// the participant outbox is built around questionnaire invitations (docs/protocol.md, "Booking").
/// </summary>
public sealed class BookingMailJob(NpgsqlDataSource dataSource, IMailTransport transport, IOptions<PublicLinkOptions> links,
    TimeProvider clock, ILogger<BookingMailJob> logger)
{
    private const string Eligible = """
        p.status = 'active' AND p.opted_out_at IS NULL AND p.undeliverable_at IS NULL AND s.status = 'active'
        AND t.status = 'open' AND t.closes_at > @now AND w.interview_booking AND c.email IS NOT NULL AND c.email <> ''
        """;

    private const string DueInvitationsSql = $"""
        SELECT t.id FROM interview_tasks t
        JOIN waves w ON w.id = t.wave_id JOIN participants p ON p.id = t.participant_id JOIN studies s ON s.id = t.study_id
        JOIN contact_details c ON c.participant_id = p.id
        WHERE {Eligible}
          AND NOT EXISTS (SELECT 1 FROM booking_links l WHERE l.interview_task_id = t.id)
          AND EXISTS (SELECT 1 FROM interview_slots sl WHERE sl.interview_task_id = t.id AND sl.booked_at IS NULL AND sl.starts_at > @now)
        ORDER BY t.id LIMIT 100
        FOR UPDATE OF t SKIP LOCKED
        """;

    private const string ClaimInvitationsSql = """
        INSERT INTO booking_links (hash, interview_task_id, created_at)
        SELECT h, t, @now FROM unnest(@hashes, @tasks) AS x(h, t)
        ON CONFLICT (interview_task_id) DO NOTHING
        RETURNING interview_task_id
        """;

    private const string ClaimConfirmationsSql = $"""
        UPDATE interview_slots sl SET confirmation_sent_at = @now
        FROM (
            SELECT sl.id FROM interview_slots sl
            JOIN interview_tasks t ON t.id = sl.interview_task_id
            JOIN waves w ON w.id = t.wave_id JOIN participants p ON p.id = t.participant_id JOIN studies s ON s.id = t.study_id
            JOIN contact_details c ON c.participant_id = p.id
            WHERE sl.booked_at IS NOT NULL AND sl.confirmation_sent_at IS NULL AND sl.starts_at > @now AND {Eligible}
            ORDER BY sl.id LIMIT 100
            FOR UPDATE OF sl SKIP LOCKED) due
        WHERE sl.id = due.id
        RETURNING sl.id
        """;

    private const string DetailsSql = """
        SELECT t.id AS TaskId, sl.id AS SlotId, sl.starts_at AS StartsAt, sl.ends_at AS EndsAt, sl.mode AS Mode,
               p.language AS Language, p.time_zone AS TimeZone, s.default_language AS DefaultLanguage, s.title::text AS StudyTitle,
               w.title::text AS WaveTitle, s.sender_name AS SenderName, s.sender_email AS SenderEmail, s.contact_email AS ContactEmail,
               c.email AS Email, c.name AS Name, c.first_name AS FirstName
        FROM interview_tasks t
        JOIN waves w ON w.id = t.wave_id JOIN participants p ON p.id = t.participant_id JOIN studies s ON s.id = t.study_id
        JOIN contact_details c ON c.participant_id = p.id
        LEFT JOIN interview_slots sl ON sl.id = ANY(@slots) AND sl.interview_task_id = t.id
        WHERE t.id = ANY(@tasks)
        """;

    public async Task<int> RunAsync(CancellationToken cancellationToken) =>
        await InviteAsync(cancellationToken) + await ConfirmAsync(cancellationToken);

    /// <summary>The personal link of a booking token.</summary>
    public static string Link(string publicBaseUrl, string token) => publicBaseUrl.TrimEnd('/') + "/b/" + token;

    private async Task<int> InviteAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var tokens = new Dictionary<long, string>();
        List<Details> due;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var tasks = (await connection.QueryAsync<long>(DueInvitationsSql, new { now }, transaction)).ToArray();
            if (tasks.Length == 0)
            {
                return 0;
            }
            var created = tasks.Select(t => (Task: t, Link: LinkTokens.Create())).ToArray();
            var claimed = (await connection.QueryAsync<long>(ClaimInvitationsSql,
                new { now, hashes = created.Select(c => c.Link.Hash).ToArray(), tasks = created.Select(c => c.Task).ToArray() }, transaction)).ToHashSet();
            await transaction.CommitAsync(ct);
            foreach (var (task, link) in created.Where(c => claimed.Contains(c.Task)))
            {
                tokens[task] = link.Token;
            }
            due = [.. await connection.QueryAsync<Details>(DetailsSql, new { tasks = tokens.Keys.ToArray(), slots = Array.Empty<long>() })];
        }
        return await SendAsync(due, d => BookingEmails.Invitation(Input(d, "invite." + d.TaskId, now), Link(links.Value.PublicBaseUrl, tokens[d.TaskId])),
            "DELETE FROM booking_links WHERE interview_task_id = ANY(@ids)", d => d.TaskId, ct);
    }

    private async Task<int> ConfirmAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Details> due;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var slots = (await connection.QueryAsync<long>(ClaimConfirmationsSql, new { now })).ToArray();
            if (slots.Length == 0)
            {
                return 0;
            }
            var tasks = (await connection.QueryAsync<long>("SELECT interview_task_id FROM interview_slots WHERE id = ANY(@slots)", new { slots })).ToArray();
            due = [.. await connection.QueryAsync<Details>(DetailsSql, new { tasks, slots })];
        }
        return await SendAsync(due,
            d => BookingEmails.Confirmation(Input(d, "booked." + d.SlotId, now), d.StartsAt!.Value, (int)(d.EndsAt!.Value - d.StartsAt.Value).TotalMinutes, d.Mode!, d.TimeZone),
            "UPDATE interview_slots SET confirmation_sent_at = NULL WHERE id = ANY(@ids)", d => d.SlotId!.Value, ct);
    }

    /// <summary>Sends each claimed email; releases the claims of those certainly not delivered.</summary>
    private async Task<int> SendAsync(List<Details> due, Func<Details, MimeMessage> compose, string releaseSql, Func<Details, long> claimId, CancellationToken ct)
    {
        var sent = 0;
        var release = new List<long>();
        try
        {
            await using var session = await transport.OpenAsync(ct);
            foreach (var details in due)
            {
                if (EmailAddressRules.Problem(details.Email) is not null)
                {
                    logger.LogWarning("Booking email for task {Task} not sent: the address is refused", details.TaskId);
                    continue;
                }
                using var message = compose(details);
                var outcome = await session.SendAsync(message, ct);
                if (outcome.Result is SendResult.Temporary or SendResult.NotAttempted)
                {
                    release.Add(claimId(details));
                }
                else if (outcome.Result == SendResult.Sent)
                {
                    sent++;
                }
                else
                {
                    logger.LogWarning("Booking email for task {Task} not sent: {Result}", details.TaskId, outcome.Result);
                }
            }
        }
        catch (MailRelayUnreachableException)
        {
            // Nothing went out: every claim of this run is released.
            release = [.. due.Select(claimId)];
        }
        finally
        {
            if (release.Count > 0)
            {
                await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
                await connection.ExecuteAsync(releaseSql, new { ids = release.Distinct().ToArray() });
            }
        }
        if (sent > 0)
        {
            logger.LogInformation("Sent {Count} booking email(s)", sent);
        }
        return sent;
    }

    private static BookingEmailInput Input(Details d, string kind, DateTime now)
    {
        var language = d.Language is "en" or "pl" or "da" ? d.Language : d.DefaultLanguage is "pl" or "da" ? d.DefaultLanguage : "en";
        var domain = d.SenderEmail[(d.SenderEmail.IndexOf('@') + 1)..];
        return new BookingEmailInput(language, d.FirstName, Text(d.StudyTitle, language, d.DefaultLanguage), Text(d.WaveTitle, language, d.DefaultLanguage),
            d.SenderName, d.SenderEmail, d.ContactEmail, d.Email, d.Name, $"rs.{kind}@{domain}", new DateTimeOffset(now, TimeSpan.Zero));
    }

    private static string Text(string json, string language, string fallback) =>
        (JsonSerializer.Deserialize<LocalizedText>(json) ?? new LocalizedText()).For(language, fallback);

    private sealed class Details
    {
        public long TaskId { get; init; }
        public long? SlotId { get; init; }
        public DateTime? StartsAt { get; init; }
        public DateTime? EndsAt { get; init; }
        public string? Mode { get; init; }
        public string Language { get; init; } = "en";
        public string TimeZone { get; init; } = "UTC";
        public string DefaultLanguage { get; init; } = "en";
        public string StudyTitle { get; init; } = "{}";
        public string WaveTitle { get; init; } = "{}";
        public string SenderName { get; init; } = "";
        public string SenderEmail { get; init; } = "";
        public string? ContactEmail { get; init; }
        public string Email { get; init; } = "";
        public string? Name { get; init; }
        public string? FirstName { get; init; }
    }
}
