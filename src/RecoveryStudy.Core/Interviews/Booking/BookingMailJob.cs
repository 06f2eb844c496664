using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>
/// The `interview-bookings` job: emails the participant of an open task of a booking wave a personal
/// link to book one of the offered times (once the first future time is offered), confirms each
/// booked time, and sends the emails about cancelled bookings (<see cref="BookingCancellationMail"/>).
/// Every participant email passes the same gate as the outbox's (<see cref="MailGate"/>): the study's
/// sending hours, the daily cap per participant and the relay's quota shared by all nodes; what the
/// gate holds waits for a later run. Never twice: an invitation is claimed by inserting the task's one
/// booking link (unique per task, only the token's hash stored), a confirmation by setting
/// confirmation_sent_at (FOR UPDATE SKIP LOCKED), each committed before the relay is contacted; only
/// an outcome certain not to have been delivered releases the claim (<see cref="DirectSend"/>).
/// Whether the participant may get email is checked in the claim (docs/protocol.md, "Booking").
/// </summary>
public sealed class BookingMailJob(NpgsqlDataSource dataSource, IMailTransport transport, IOptions<PublicLinkOptions> links,
    IOptions<MailOptions> mail, TimeProvider clock, ILogger<BookingMailJob> logger)
{
    private const string Open = "t.status = 'open' AND t.closes_at > @now AND w.interview_booking";

    private const string DueInvitationsSql = $"""
        SELECT t.id AS Reference, {BookingRecipient.Columns}
        FROM interview_tasks t {BookingRecipient.Joins}
        WHERE {BookingRecipient.MayEmail} AND {Open}
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

    private const string DueConfirmationsSql = $"""
        SELECT sl.id AS Reference, sl.starts_at AS StartsAt, sl.ends_at AS EndsAt, sl.mode AS Mode, {BookingRecipient.Columns}
        FROM interview_slots sl JOIN interview_tasks t ON t.id = sl.interview_task_id {BookingRecipient.Joins}
        WHERE sl.booked_at IS NOT NULL AND sl.confirmation_sent_at IS NULL AND sl.starts_at > @now
          AND {BookingRecipient.MayEmail} AND {Open}
        ORDER BY sl.id LIMIT 100
        FOR UPDATE OF sl SKIP LOCKED
        """;

    public async Task<int> RunAsync(CancellationToken cancellationToken) =>
        await InviteAsync(cancellationToken) + await ConfirmAsync(cancellationToken)
        + await new BookingCancellationMail(dataSource, transport, links.Value, mail.Value, clock, logger).RunAsync(cancellationToken);

    /// <summary>The personal link of a booking token.</summary>
    public static string Link(string publicBaseUrl, string token) => publicBaseUrl.TrimEnd('/') + "/b/" + token;

    private async Task<int> InviteAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var tokens = new Dictionary<long, string>();
        List<BookingRecipient> claimed;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var due = (await connection.QueryAsync<BookingRecipient>(DueInvitationsSql, new { now }, transaction)).ToList();
            var admitted = await BookingRecipient.AdmitAsync(connection, transaction, due, transport.RelayName, mail.Value, now);
            if (admitted.Count == 0)
            {
                return 0;
            }
            var created = admitted.Select(r => (Task: r.TaskId, Link: LinkTokens.Create())).ToArray();
            var taken = (await connection.QueryAsync<long>(ClaimInvitationsSql,
                new { now, hashes = created.Select(c => c.Link.Hash).ToArray(), tasks = created.Select(c => c.Task).ToArray() }, transaction)).ToHashSet();
            claimed = [.. admitted.Where(r => taken.Contains(r.TaskId))];
            await BookingRecipient.LogAsync(connection, transaction, BookingMailKind.Invitation, claimed, now);
            await transaction.CommitAsync(ct);
            foreach (var (task, link) in created.Where(c => taken.Contains(c.Task)))
            {
                tokens[task] = link.Token;
            }
        }
        return await DirectSend.RunAsync(transport, claimed,
            r => r.Compose(d => BookingEmails.Invitation(d.Input(BookingMailKind.Invitation, now), Link(links.Value.PublicBaseUrl, tokens[d.TaskId]))),
            r => r.Reference,
            ids => BookingRecipient.ReleaseAsync(dataSource, "DELETE FROM booking_links WHERE interview_task_id = ANY(@ids)", BookingMailKind.Invitation, ids, now),
            logger, "booking invitation", ct);
    }

    private async Task<int> ConfirmAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<BookingRecipient> claimed;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var due = (await connection.QueryAsync<BookingRecipient>(DueConfirmationsSql, new { now }, transaction)).ToList();
            claimed = await BookingRecipient.AdmitAsync(connection, transaction, due, transport.RelayName, mail.Value, now);
            if (claimed.Count == 0)
            {
                return 0;
            }
            await connection.ExecuteAsync("UPDATE interview_slots SET confirmation_sent_at = @now WHERE id = ANY(@ids)",
                new { now, ids = claimed.Select(c => c.Reference).ToArray() }, transaction);
            await BookingRecipient.LogAsync(connection, transaction, BookingMailKind.Confirmation, claimed, now);
            await transaction.CommitAsync(ct);
        }
        return await DirectSend.RunAsync(transport, claimed,
            r => r.Compose(d => BookingEmails.Confirmation(d.Input(BookingMailKind.Confirmation, now), d.StartsAt!.Value, d.Minutes, d.Mode!, d.TimeZone)),
            r => r.Reference,
            ids => BookingRecipient.ReleaseAsync(dataSource, "UPDATE interview_slots SET confirmation_sent_at = NULL WHERE id = ANY(@ids)",
                BookingMailKind.Confirmation, ids, now),
            logger, "booking confirmation", ct);
    }
}

/// <summary>The kinds of booking email, as logged in direct_emails and named in their Message-Id.</summary>
public static class BookingMailKind
{
    public const string Invitation = "invite";
    public const string Confirmation = "booked";
    public const string Cancellation = "cancelled";
}
