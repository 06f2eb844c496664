using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>What one batch did.</summary>
public sealed record DispatchResult(int Due, int Sent, int Retried, int Failed, int Cancelled, int Deferred, DateTime? RateLimitedUntil, bool RelayUnreachable)
{
    public static readonly DispatchResult Nothing = new(0, 0, 0, 0, 0, 0, null, false);
}

/// <summary>
/// Sends one batch over one relay session as five stages joined by bounded channels (docs/design.md,
/// "Mail pipeline"): claim -> send-time check -> compose -> send -> record. Safe to run on several nodes at once: the
/// claim locks what it takes and every outcome is guarded by the claim.
/// </summary>
public sealed class Dispatcher(NpgsqlDataSource dataSource, IMailTransport transport, IOptions<MailOptions> mailOptions,
    IOptions<PublicLinkOptions> linkOptions, TimeProvider clock, ILogger<Dispatcher> logger)
{
    private readonly MailOptions options = mailOptions.Value;

    /// <summary>This dispatcher's name in claimed_by: the host, the process and this instance.</summary>
    /// <summary>The relay this dispatcher sends through: the key of its quota and connection slots.</summary>
    public string Relay => transport.RelayName;

    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    public async Task<DispatchResult> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var claims = await ClaimStage.OpenAsync(dataSource, transport.RelayName, Node, options, clock, cancellationToken);
        var first = await claims.FirstAsync(cancellationToken);
        if (first.Count == 0)
        {
            return Result(claims.Totals, relayUnreachable: false);
        }
        IMailSession session;
        try
        {
            session = await transport.OpenAsync(cancellationToken);
        }
        catch (MailRelayUnreachableException e)
        {
            logger.LogWarning("Mail relay {Relay} unreachable; {Count} message(s) wait for the next attempt: {Error}",
                transport.RelayName, first.Count, DispatchOutcomes.Redact(e.Message));
            await claims.RelayUnreachableAsync(first.Select(c => c.Candidate.Id), e.Message);
            return Result(claims.Totals, relayUnreachable: true);
        }
        await using (session)
        {
            return await RunStagesAsync(claims, first, session, cancellationToken);
        }
    }

    private async Task<DispatchResult> RunStagesAsync(ClaimStage claims, IReadOnlyList<ClaimedMessage> first, IMailSession session,
        CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource();
        var claimed = Bounded<ClaimedMessage>(ClaimStage.PartLimit);
        var rechecked = Bounded<ClaimedMessage>(options.OutcomeGroupSize);
        var composed = Bounded<ComposedMessage>(ComposeStage.Ahead);
        var attempts = Bounded<SendAttempt>(options.OutcomeGroupSize);
        var email = new ClaimedEmail(options, linkOptions.Value, clock);
        var sender = new SendStage(session, clock, options.RatePerMinute > 0 ? options.RateWindowMargin : null);
        var check = new SendTimeCheck(Node, options, clock, logger);
        var recorder = new RecordStage(Node, transport.RelayName, options, clock, logger);
        using var renewing = new CancellationTokenSource();
        var renewal = Task.Run(() => ClaimLeaseRenewal.RunAsync(dataSource, Node, options, clock, renewing.Token), CancellationToken.None);
        try
        {
            var stages = Task.WhenAll(
                Task.Run(() => claims.RunAsync(first, claimed.Writer, stop.Token, cancellationToken), CancellationToken.None),
                Task.Run(() => check.RunAsync(dataSource, claimed.Reader, rechecked.Writer, stop), CancellationToken.None),
                Task.Run(() => ComposeStage.RunAsync(email.Compose, rechecked.Reader, composed.Writer, stop.Token), CancellationToken.None),
                Task.Run(() => sender.RunAsync(composed.Reader, attempts.Writer, stop, cancellationToken), CancellationToken.None),
                Task.Run(() => recorder.RunAsync(dataSource, attempts.Reader, stop), CancellationToken.None));
            try
            {
                await stages;
            }
            catch
            {
                await GiveBackAfterFailureAsync(sender.NotTried, "the dispatcher's batch failed");
                throw;
            }
            if (sender.RelayLost is string reply)
            {
                logger.LogWarning("Mail relay {Relay} lost; {Count} message(s) wait for the next attempt", transport.RelayName, sender.NotTried.Count);
                await claims.RelayUnreachableAsync(sender.NotTried, reply);
            }
            else if (sender.NotTried.Count > 0)
            {
                // Sending stopped while the database was away, or the relay's permit ran out before these were
                // tried: what was never tried goes back as soon as the database answers.
                await GiveBackAfterFailureAsync(sender.NotTried, "not tried in this run (the relay's permit ran out, or the database was unreachable)");
            }
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }
        return new DispatchResult(claims.Totals.Due, recorder.Sent, recorder.Retried, recorder.Failed, claims.Totals.Cancelled + check.Cancelled,
            claims.Totals.Deferred, claims.Totals.RateLimitedUntil, sender.RelayLost is not null);
    }

    /// <summary>
    /// Claims never tried go back to the queue at once, on a connection of their own (the claim
    /// stage's may have been cut), waiting for a database that is away for up to the lease. A
    /// failure of that is logged; the batch's own exception is the one that propagates (the claims
    /// then run out on their lease).
    /// </summary>
    private async Task GiveBackAfterFailureAsync(IReadOnlyList<long> notTried, string reason)
    {
        if (notTried.Count == 0)
        {
            return;
        }
        try
        {
            var connection = await OpenWhenAnsweringAsync();
            connection = await DatabaseOutage.RunAsync(dataSource, connection,
                c => DispatchOutcomes.ReleaseAsync(c, notTried, Node, reason, clock.GetUtcNow().UtcDateTime), null, options.ClaimLease, null);
            await connection.DisposeAsync();
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or OperationCanceledException or IOException)
        {
            logger.LogWarning("Claims could not be given back after the batch failed: {Error}", DispatchOutcomes.Redact(e.Message));
        }
    }

    /// <summary>A connection as soon as the database answers, trying for up to the lease.</summary>
    private async Task<NpgsqlConnection> OpenWhenAnsweringAsync()
    {
        var deadline = clock.GetUtcNow() + options.ClaimLease;
        while (true)
        {
            try
            {
                return await dataSource.OpenConnectionAsync();
            }
            catch (Exception e) when (DatabaseOutage.Is(e) && clock.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>
    /// A waiting stage resumes on the thread that unblocked it rather than waiting for a free pool
    /// thread (on a busy machine, a wait per email); a stage about to do real work yields first.
    /// </summary>
    private static Channel<T> Bounded<T>(int capacity) =>
        Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });

    private static DispatchResult Result(ClaimTotals totals, bool relayUnreachable) =>
        DispatchResult.Nothing with
        {
            Due = totals.Due, Cancelled = totals.Cancelled, Deferred = totals.Deferred,
            RateLimitedUntil = relayUnreachable ? null : totals.RateLimitedUntil, RelayUnreachable = relayUnreachable,
        };
}
