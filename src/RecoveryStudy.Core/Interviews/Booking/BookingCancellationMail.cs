using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>
/// The emails about cancelled bookings, part of the `interview-bookings` job: one to the participant
/// (through the one gate: sending hours, daily cap, relay quota; only while the cancelled time is
/// still ahead and the participant may get email) and one to the interviewer (relay quota only: staff
/// mail is not held to the participants' sending hours). Each is claimed by setting its column of the
/// booking_cancellations row, committed before the relay is contacted: never twice.
/// </summary>
internal sealed class BookingCancellationMail(NpgsqlDataSource dataSource, IMailTransport transport, PublicLinkOptions links, MailOptions mail,
    TimeProvider clock, ILogger logger)
{
    private const string DueParticipantSql = $"""
        SELECT bc.id AS Reference, bc.starts_at AS StartsAt, bc.ends_at AS EndsAt, bc.mode AS Mode, bc.cause AS Cause, {BookingRecipient.Columns}
        FROM booking_cancellations bc JOIN interview_tasks t ON t.id = bc.interview_task_id {BookingRecipient.Joins}
        WHERE bc.participant_mail_sent_at IS NULL AND bc.starts_at > @now AND {BookingRecipient.MayEmail}
        ORDER BY bc.id LIMIT 100
        FOR UPDATE OF bc SKIP LOCKED
        """;

    private const string DueInterviewerSql = """
        SELECT bc.id AS CancellationId, t.id AS TaskId, t.study_id AS StudyId, s.code AS StudyCode, s.time_zone AS StudyTimeZone,
               p.code AS ParticipantCode, w.code AS WaveCode, bc.starts_at AS StartsAt,
               (extract(epoch FROM bc.ends_at - bc.starts_at) / 60)::int AS Minutes, bc.mode AS Mode, bc.cause AS Cause,
               s.sender_name AS SenderName, s.sender_email AS SenderEmail, u.email AS InterviewerEmail
        FROM booking_cancellations bc JOIN interview_tasks t ON t.id = bc.interview_task_id
        JOIN studies s ON s.id = t.study_id JOIN participants p ON p.id = t.participant_id JOIN waves w ON w.id = t.wave_id
        JOIN staff_users u ON u.id = bc.interviewer_id
        WHERE bc.interviewer_mail_sent_at IS NULL AND NOT u.disabled AND s.status = 'active'
        ORDER BY bc.id LIMIT 100
        FOR UPDATE OF bc SKIP LOCKED
        """;

    public async Task<int> RunAsync(CancellationToken ct) => await ParticipantsAsync(ct) + await InterviewersAsync(ct);

    private async Task<int> ParticipantsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<BookingRecipient> claimed;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var due = (await connection.QueryAsync<BookingRecipient>(DueParticipantSql, new { now }, transaction)).ToList();
            claimed = await BookingRecipient.AdmitAsync(connection, transaction, due, transport.RelayName, mail, now);
            if (claimed.Count == 0)
            {
                return 0;
            }
            await connection.ExecuteAsync("UPDATE booking_cancellations SET participant_mail_sent_at = @now WHERE id = ANY(@ids)",
                new { now, ids = claimed.Select(c => c.Reference).ToArray() }, transaction);
            await BookingRecipient.LogAsync(connection, transaction, BookingMailKind.Cancellation, claimed, now);
            await transaction.CommitAsync(ct);
        }
        return await DirectSend.RunAsync(transport, claimed,
            r => r.Compose(d => BookingCancellationEmails.Participant(d.Input(BookingMailKind.Cancellation, now), d.Cause!, d.StartsAt!.Value, d.TimeZone)),
            r => r.Reference,
            ids => BookingRecipient.ReleaseAsync(dataSource, "UPDATE booking_cancellations SET participant_mail_sent_at = NULL WHERE id = ANY(@ids)",
                BookingMailKind.Cancellation, ids, now),
            logger, "booking cancellation email", ct);
    }

    private async Task<int> InterviewersAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<BookingCancellationEmails.InterviewerInput> claimed;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var due = (await connection.QueryAsync<BookingCancellationEmails.InterviewerInput>(DueInterviewerSql, new { now }, transaction)).ToList();
            var (granted, _) = await MailGate.QuotaAsync(connection, transaction, transport.RelayName, due.Count, mail, now);
            claimed = [.. due.Take(granted)];
            if (claimed.Count == 0)
            {
                return 0;
            }
            await connection.ExecuteAsync("UPDATE booking_cancellations SET interviewer_mail_sent_at = @now WHERE id = ANY(@ids)",
                new { now, ids = claimed.Select(c => c.CancellationId).ToArray() }, transaction);
            await transaction.CommitAsync(ct);
        }
        return await DirectSend.RunAsync(transport, claimed, c => BookingCancellationEmails.Interviewer(c, links.PublicBaseUrl), c => c.CancellationId,
            async ids =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
                await connection.ExecuteAsync("UPDATE booking_cancellations SET interviewer_mail_sent_at = NULL WHERE id = ANY(@ids)", new { ids });
            },
            logger, "interviewer cancellation email", ct);
    }
}
