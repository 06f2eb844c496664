using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Interviews;

/// <summary>
/// The `interviewer-reminders` job: emails the assigned interviewer of each open task once, the
/// wave's interviewer_reminder_days_before days before its window closes. Never twice: a task is
/// claimed (reminder_sent_at set, FOR UPDATE SKIP LOCKED) and committed before the relay is
/// contacted, so a second run or node skips it; only an outcome that is certain not to have been
/// delivered (4xx, relay unreachable, not attempted) releases the claim for the next run. A crash
/// or a connection lost after the body went out leaves it claimed: at most one reminder, the
/// opposite trade to the participant outbox, because a missing staff reminder costs less than a
/// duplicate and the task list shows the task anyway. Staff mail: the relay's quota shared by all
/// nodes applies (taken in the claim, <see cref="MailGate"/>), the participants' sending hours and
/// daily cap do not (docs/design.md, "One gate for every email").
/// </summary>
public sealed class InterviewerReminderJob(NpgsqlDataSource dataSource, IMailTransport transport, IOptions<PublicLinkOptions> links,
    IOptions<MailOptions> mail, TimeProvider clock, ILogger<InterviewerReminderJob> logger)
{
    // 7: Wave.DefaultInterviewerReminderDaysBefore.
    private const string DueSql = """
        SELECT t.id FROM interview_tasks t
        JOIN waves w ON w.id = t.wave_id
        JOIN participants p ON p.id = t.participant_id
        JOIN studies s ON s.id = t.study_id
        JOIN staff_users u ON u.id = t.interviewer_id
        WHERE t.status = 'open' AND t.reminder_sent_at IS NULL AND t.closes_at > @now
          AND t.closes_at - make_interval(days => COALESCE(w.interviewer_reminder_days_before, 7)) <= @now
          AND p.status = 'active' AND s.status = 'active' AND NOT u.disabled
        ORDER BY t.closes_at LIMIT 100
        FOR UPDATE OF t SKIP LOCKED
        """;

    private const string DetailsSql = """
        SELECT t.id AS Id, t.study_id AS StudyId, s.code AS StudyCode, s.sender_name AS SenderName, s.sender_email AS SenderEmail,
               u.email AS InterviewerEmail, p.code AS ParticipantCode, w.code AS WaveCode, t.closes_on AS ClosesOn
        FROM interview_tasks t JOIN studies s ON s.id = t.study_id JOIN staff_users u ON u.id = t.interviewer_id
        JOIN participants p ON p.id = t.participant_id JOIN waves w ON w.id = t.wave_id
        WHERE t.id = ANY(@ids)
        """;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Reminder> due;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var candidates = (await connection.QueryAsync<long>(DueSql, new { now }, transaction)).ToList();
            var (granted, _) = await MailGate.QuotaAsync(connection, transaction, transport.RelayName, candidates.Count, mail.Value, now);
            var ids = candidates.Take(granted).ToArray();
            if (ids.Length == 0)
            {
                return 0;
            }
            await connection.ExecuteAsync("UPDATE interview_tasks SET reminder_sent_at = @now WHERE id = ANY(@ids)", new { now, ids }, transaction);
            await transaction.CommitAsync(cancellationToken);
            due = [.. await connection.QueryAsync<Reminder>(DetailsSql, new { ids })];
        }
        return await DirectSend.RunAsync(transport, due, Compose, r => r.Id, async ids =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
                await connection.ExecuteAsync("UPDATE interview_tasks SET reminder_sent_at = NULL WHERE id = ANY(@ids)", new { ids });
            },
            logger, "interviewer reminder", cancellationToken);
    }

    private MimeMessage Compose(Reminder r)
    {
        var closes = r.ClosesOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var link = $"{links.Value.PublicBaseUrl.TrimEnd('/')}/studies/{r.StudyId}/interviews/{r.Id}";
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(r.SenderName, r.SenderEmail));
        message.To.Add(MailboxAddress.Parse(r.InterviewerEmail));
        message.Subject = $"Interview {r.WaveCode} with {r.ParticipantCode} ({r.StudyCode}): window closes {closes}";
        message.MessageId = $"rs.interview.{r.Id}@{r.SenderEmail[(r.SenderEmail.IndexOf('@') + 1)..]}";
        message.Body = new TextPart("plain")
        {
            Text = $"The interview {r.WaveCode} with participant {r.ParticipantCode} in study {r.StudyCode} is not recorded yet, "
                + $"and its window closes after {closes}.\n\nRecord it or see the task: {link}\n",
        };
        return message;
    }

    private sealed class Reminder
    {
        public long Id { get; init; }
        public int StudyId { get; init; }
        public string StudyCode { get; init; } = "";
        public string SenderName { get; init; } = "";
        public string SenderEmail { get; init; } = "";
        public string InterviewerEmail { get; init; } = "";
        public string ParticipantCode { get; init; } = "";
        public string WaveCode { get; init; } = "";
        public DateOnly ClosesOn { get; init; }
    }
}
