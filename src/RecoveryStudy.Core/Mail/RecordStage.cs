using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>
/// The last stage: writes each send outcome (<see cref="DispatchOutcomes"/>) on a connection of its
/// own, in the order sent. Sent outcomes are written <see cref="MailOptions.OutcomeGroupSize"/> at a
/// time in one statement, because much of a write's cost is per statement; any other outcome is
/// written on its own after the sent ones before it. A dispatcher that dies leaves at most the group
/// being written and the send stage's output channel (as large as a group) sent and unrecorded: their
/// claims run out and they go out once more. When the database goes away mid-batch, sending stops and
/// the outcomes already in hand are held and written once it answers again (<see cref="DatabaseOutage"/>,
/// for up to the claim lease), so an email the relay took is never released to go out a second time.
/// </summary>
internal sealed class RecordStage(string node, string relay, MailOptions options, TimeProvider clock, ILogger logger)
{
    private readonly List<(long Id, string SmtpMessageId, DateTime At)> group = [];
    private NpgsqlDataSource? dataSource;
    private NpgsqlConnection? connection;
    private CancellationTokenSource? stopSending;

    public int Sent { get; private set; }
    public int Retried { get; private set; }
    public int Failed { get; private set; }

    /// <summary>Writes every outcome; when a write fails, sending is stopped and the outcomes still coming are dropped.</summary>
    public async Task RunAsync(NpgsqlDataSource dataSource, ChannelReader<SendAttempt> input, CancellationTokenSource stop)
    {
        this.dataSource = dataSource;
        stopSending = stop;
        try
        {
            // Not cancellable: what was sent is recorded even when the batch is cancelled.
            connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await WriteAsync(c => DispatchOutcomes.BatchSessionAsync(c, on: true));
            await WriteAsync(c => DispatchOutcomes.RelayStateAsync(c, relay, reachable: true, null, clock.GetUtcNow().UtcDateTime));
            await foreach (var attempt in input.ReadAllAsync(CancellationToken.None))
            {
                await RecordAsync(attempt);
            }
            await WriteGroupAsync();
            await WriteAsync(c => DispatchOutcomes.BatchSessionAsync(c, on: false));
        }
        catch
        {
            await stop.CancelAsync();
            // Lets the send stage finish: it waits for room in this channel before each email.
            await foreach (var _ in input.ReadAllAsync(CancellationToken.None))
            {
            }
            throw;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// One write; while the database is away, sending is stopped and the write waits for it on a
    /// new connection (set up for the batch again) rather than failing the batch.
    /// </summary>
    private async Task WriteAsync(Func<NpgsqlConnection, Task> write) =>
        connection = await DatabaseOutage.RunAsync(dataSource!, connection!, write, c => DispatchOutcomes.BatchSessionAsync(c, on: true),
            options.ClaimLease, async () =>
            {
                logger.LogWarning("Database unreachable while recording send outcomes; sending stops, outcomes are held until it answers");
                await stopSending!.CancelAsync();
            });

    private async Task RecordAsync(SendAttempt attempt)
    {
        var (claimed, outcome, at) = (attempt.Claimed.Candidate, attempt.Outcome, attempt.At);
        if (outcome.Result == SendResult.Sent)
        {
            group.Add((claimed.Id, attempt.SmtpMessageId!, at));
            Sent++;
            if (group.Count >= options.OutcomeGroupSize)
            {
                await WriteGroupAsync();
            }
            return;
        }
        await WriteGroupAsync();
        await OffTheSendersThreadAsync();
        switch (outcome.Result)
        {
            case SendResult.Temporary or SendResult.Unknown:
                await WriteAsync(c => DispatchOutcomes.RetryOrFailAsync(c, claimed.Id, node, claimed.Attempts, outcome.Result == SendResult.Unknown,
                    outcome.Reply, options, at));
                LogRetryOrFail(claimed, outcome);
                break;
            case SendResult.RecipientRejected:
                logger.LogWarning("Message {MessageId}: recipient rejected, participant {ParticipantId} flagged undeliverable: {Reply}",
                    claimed.Id, claimed.ParticipantId, DispatchOutcomes.Redact(outcome.Reply));
                await WriteAsync(c => DispatchOutcomes.UndeliverableAsync(c, claimed.Id, node, claimed.ParticipantId, claimed.InvitationId, outcome.Reply, at));
                Failed++;
                MailMetrics.Failed(relay);
                break;
            default:
                logger.LogError("Message {MessageId} rejected by the relay: {Reply}", claimed.Id, DispatchOutcomes.Redact(outcome.Reply));
                await WriteAsync(c => DispatchOutcomes.RejectedAsync(c, claimed.Id, node, outcome.Reply, at));
                Failed++;
                MailMetrics.Failed(relay);
                break;
        }
    }

    private void LogRetryOrFail(DispatchCandidate claimed, SendOutcome outcome)
    {
        if (claimed.Attempts + 1 >= options.MaxAttempts)
        {
            logger.LogError("Message {MessageId} failed after {Attempts} attempts: {Reply}", claimed.Id, claimed.Attempts + 1, DispatchOutcomes.Redact(outcome.Reply));
            Failed++;
            MailMetrics.Failed(relay);
        }
        else
        {
            logger.LogInformation("Message {MessageId} will be retried ({Result}): {Reply}", claimed.Id, outcome.Result, DispatchOutcomes.Redact(outcome.Reply));
            Retried++;
            MailMetrics.Retried(relay);
        }
    }

    /// <summary>This stage is resumed on the send stage's thread when an outcome arrives: writes run on the pool.</summary>
    private static async Task OffTheSendersThreadAsync() => await Task.Yield();

    private async Task WriteGroupAsync()
    {
        if (group.Count > 0)
        {
            await OffTheSendersThreadAsync();
            await WriteAsync(c => DispatchOutcomes.SentAsync(c, group, node));
            MailMetrics.Sent(relay, group.Count);
            group.Clear();
        }
    }
}
