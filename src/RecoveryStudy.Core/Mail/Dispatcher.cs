using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Mail;

/// <summary>What one batch did.</summary>
public sealed record DispatchResult(int Due, int Sent, int Retried, int Failed, int Cancelled, int Deferred, DateTime? RateLimitedUntil, bool RelayUnreachable)
{
    public static readonly DispatchResult Nothing = new(0, 0, 0, 0, 0, 0, null, false);
}

/// <summary>
/// Sends one batch: claim (see <see cref="DispatchClaim"/>), open one connection to the relay,
/// compose and send each email with its placeholders filled now, record the outcomes while the
/// next emails are on the wire (see <see cref="OutcomeRecorder"/> for how many can be sent and
/// not yet recorded). Safe to run on several nodes at the same time.
/// </summary>
public sealed class Dispatcher(NpgsqlDataSource dataSource, IMailTransport transport, IOptions<MailOptions> mailOptions,
    IOptions<PublicLinkOptions> linkOptions, TimeProvider clock, ILogger<Dispatcher> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly MailOptions options = mailOptions.Value;

    /// <summary>This dispatcher's name in claimed_by: the host, the process and this instance.</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    public async Task<DispatchResult> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await DispatchOutcomes.ReapExpiredClaimsAsync(connection, now);
        var claim = await StagedClaim.FirstAsync(connection, transport.RelayName, Node, options, now, cancellationToken);
        var first = claim.First;
        if (first.Sends.Count == 0)
        {
            return DispatchResult.Nothing with { Due = first.Due, Cancelled = first.Cancelled, Deferred = first.Deferred, RateLimitedUntil = first.RateLimitedUntil };
        }

        IMailSession session;
        try
        {
            session = await transport.OpenAsync(cancellationToken);
        }
        catch (MailRelayUnreachableException e)
        {
            logger.LogWarning("Mail relay {Relay} unreachable; {Count} message(s) wait for the next attempt: {Error}",
                transport.RelayName, first.Sends.Count, DispatchOutcomes.Redact(e.Message));
            await DispatchOutcomes.RelayStateAsync(connection, transport.RelayName, reachable: false, e.Message, now);
            await DispatchOutcomes.ReleaseAsync(connection, first.Sends.Select(s => s.Candidate.Id), Node, e.Message, now + options.RetryBaseDelay);
            return DispatchResult.Nothing with { Due = first.Due, Cancelled = first.Cancelled, Deferred = first.Deferred, RelayUnreachable = true };
        }

        int sent = 0, retried = 0, failed = 0;
        var sends = first.Sends.ToList();
        DispatchResult Result(bool relayUnreachable)
        {
            var (due, cancelled, deferred, rateLimitedUntil) = claim.Totals();
            return new DispatchResult(due, sent, retried, failed, cancelled, deferred, rateLimitedUntil, relayUnreachable);
        }
        // The pipeline: while message k is on the wire, outcomes are written (on the database
        // connection, see OutcomeRecorder), the next few messages are composed (ComposeAhead) and the
        // rest of the batch claimed (StagedClaim).
        var recorder = new OutcomeRecorder(connection, Node, options.OutcomeGroupSize);
        var ahead = new ComposeAhead(Compose, ComposeDepth);
        try
        {
            await using (session)
            {
                claim.StartRest(dataSource, transport.RelayName, Node, options, clock, cancellationToken);
                // Each outcome is written during the next sends. Not waiting for the disk on those commits
                // keeps sending at the relay's speed; only a crash of the database server itself could lose
                // the last few outcomes, and those messages would then go out once more (at least once, as
                // ever). The claim above, which stores the link tokens, was committed durably. The relay's
                // state (reachable, when last connected) is the first write of that kind.
                await DispatchOutcomes.BatchSessionAsync(connection, on: true);
                await DispatchOutcomes.RelayStateAsync(connection, transport.RelayName, reachable: true, null, now);
                for (var i = 0; i < sends.Count; i++)
                {
                    var candidate = sends[i].Candidate;
                    // Disposed once sent: MimeKit's messages, parts and contents have finalizers, and an email
                    // left to them outlives one more collection with everything it holds (every young
                    // collection during a batch copied the ~7 MB of emails sent since the one before).
                    MimeKit.MimeMessage? composed = null;
                    SendOutcome? notComposed = null;
                    try
                    {
                        composed = await ahead.At(sends, i);
                    }
                    catch (EmailNotComposedException e)
                    {
                        notComposed = e.Outcome;
                    }
                    using var message = composed;
                    var outcome = notComposed ?? await session.SendAsync(message!, cancellationToken);
                    var at = clock.GetUtcNow().UtcDateTime;
                    switch (outcome.Result)
                    {
                        case SendResult.Sent:
                            await recorder.SentAsync(candidate.Id, message!.MessageId!, at);
                            sent++;
                            break;
                        case SendResult.Temporary or SendResult.Unknown:
                            await recorder.OtherAsync(() => DispatchOutcomes.RetryOrFailAsync(connection, candidate.Id, Node, candidate.Attempts,
                                outcome.Result == SendResult.Unknown, outcome.Reply, options, at));
                            if (candidate.Attempts + 1 >= options.MaxAttempts)
                            {
                                logger.LogError("Message {MessageId} failed after {Attempts} attempts: {Reply}", candidate.Id, candidate.Attempts + 1, DispatchOutcomes.Redact(outcome.Reply));
                                failed++;
                            }
                            else
                            {
                                logger.LogInformation("Message {MessageId} will be retried ({Result}): {Reply}", candidate.Id, outcome.Result, DispatchOutcomes.Redact(outcome.Reply));
                                retried++;
                            }
                            break;
                        case SendResult.RecipientRejected:
                            logger.LogWarning("Message {MessageId}: recipient rejected, participant {ParticipantId} flagged undeliverable: {Reply}",
                                candidate.Id, candidate.ParticipantId, DispatchOutcomes.Redact(outcome.Reply));
                            await recorder.OtherAsync(() => DispatchOutcomes.UndeliverableAsync(connection, candidate.Id, Node, candidate.ParticipantId,
                                candidate.InvitationId, outcome.Reply, at));
                            failed++;
                            break;
                        case SendResult.Rejected:
                            logger.LogError("Message {MessageId} rejected by the relay: {Reply}", candidate.Id, DispatchOutcomes.Redact(outcome.Reply));
                            await recorder.OtherAsync(() => DispatchOutcomes.RejectedAsync(connection, candidate.Id, Node, outcome.Reply, at));
                            failed++;
                            break;
                        default:
                            await recorder.FlushAsync();
                            logger.LogWarning("Mail relay {Relay} lost; {Count} message(s) wait for the next attempt", transport.RelayName, sends.Count - i);
                            await DispatchOutcomes.RelayStateAsync(connection, transport.RelayName, reachable: false, outcome.Reply, at);
                            await DispatchOutcomes.ReleaseAsync(connection, sends.Skip(i).Select(s => s.Candidate.Id), Node, outcome.Reply, at + options.RetryBaseDelay);
                            await claim.ReleaseRestAsync(connection, Node, outcome.Reply, at + options.RetryBaseDelay);
                            await DispatchOutcomes.BatchSessionAsync(connection, on: false);
                            return Result(relayUnreachable: true);
                    }
                    // Taken only between two sends, so that a failure of a claim never leaves an email
                    // unrecorded; a part with nothing to send (all cancelled or deferred) is followed by the next.
                    while (i + 1 == sends.Count && claim.HasRest)
                    {
                        sends.AddRange(await claim.TakeRestAsync());
                    }
                }
                await recorder.FlushAsync();
            }
        }
        catch
        {
            // What was sent is still recorded, so that it is not sent again once the claims run out,
            // and the part of the batch claimed and never taken goes back to the queue; a failure of
            // that is logged, the first exception is the one that propagates.
            try
            {
                await recorder.FlushAsync();
                await claim.ReleaseRestAsync(connection, Node, "the dispatcher's batch failed", clock.GetUtcNow().UtcDateTime);
                await DispatchOutcomes.BatchSessionAsync(connection, on: false);
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or OperationCanceledException)
            {
                logger.LogWarning("Outcomes could not be recorded after the batch failed: {Error}", DispatchOutcomes.Redact(e.Message));
            }
            throw;
        }
        finally
        {
            // A batch that stopped early leaves the emails composed ahead of it.
            ahead.DropRemaining();
        }
        await DispatchOutcomes.BatchSessionAsync(connection, on: false);
        return Result(relayUnreachable: false);
    }

    /// <summary>How many emails are composed ahead of the one being sent.</summary>
    private const int ComposeDepth = 4;

    /// <summary>
    /// The email of a claimed message. An address the rules refuse counts as refused by the relay
    /// for the recipient (the participant is flagged undeliverable); any other failure to compose
    /// fails the message alone. Either way the batch goes on.
    /// </summary>
    private MimeKit.MimeMessage Compose(ClaimedMessage claimed)
    {
        var email = claimed.Candidate.Email!;
        if (EmailAddressRules.Problem(email) is { } problem)
        {
            throw new EmailNotComposedException(new SendOutcome(SendResult.RecipientRejected, "not sent: the address " + problem));
        }
        try
        {
            return EmailComposer.Compose(InputFor(claimed, clock.GetUtcNow()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = $"not sent: the email could not be composed ({e.GetType().Name}: {e.Message})";
            throw new EmailNotComposedException(new SendOutcome(SendResult.Rejected, ReplyRedaction.Redact(reason, [email])), e);
        }
    }

    /// <summary>
    /// A batch mostly shares one study and wave: their JSON texts are parsed once. Concurrent, because
    /// a batch that stopped early may leave a few compositions running when the next batch starts.
    /// </summary>
    private readonly BoundedCache<(Type, string Json), object> parsed = new(256);

    private T Parsed<T>(string json)
        where T : class, new() =>
        (T)parsed.GetOrAdd((typeof(T), json), static key => JsonSerializer.Deserialize<T>(key.Json, Json) ?? new T());

    private EmailInput InputFor(ClaimedMessage claimed, DateTimeOffset now)
    {
        var c = claimed.Candidate;
        var rules = c.Rules();
        var closes = rules.Local(ScheduleMath.ToInstant(c.ClosesAt));
        // The window closes at the start of the day after its last day.
        var lastOpenDay = ScheduleMath.ToDateOnly(closes.TimeOfDay == NodaTime.LocalTime.Midnight ? closes.Date.PlusDays(-1) : closes.Date);
        var today = ScheduleMath.ToDateOnly(rules.Local(NodaTime.Instant.FromDateTimeOffset(now)).Date);
        var domain = string.IsNullOrWhiteSpace(options.MessageIdDomain) ? c.SenderEmail[(c.SenderEmail.IndexOf('@') + 1)..] : options.MessageIdDomain;
        var links = linkOptions.Value;
        return new EmailInput(
            c.Id, c.Kind, c.Step, c.Language, c.DefaultLanguage,
            Parsed<LocalizedText>(c.StudyTitle), Parsed<LocalizedText>(c.WaveTitle), Parsed<WaveEmailTexts>(c.Emails),
            c.SenderName, c.SenderEmail, c.ContactEmail, c.Email!, c.Name,
            lastOpenDay, today, links.SurveyLink(claimed.SurveyToken), links.UnsubscribeLink(claimed.UnsubscribeToken), domain, now);
    }
}
