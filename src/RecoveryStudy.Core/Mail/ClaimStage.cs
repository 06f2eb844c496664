using System.Threading.Channels;
using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>What the claims of one batch found: due, stopped without sending, and the rate limit.</summary>
internal sealed record ClaimTotals(int Due, int Cancelled, int Deferred, DateTime? RateLimitedUntil)
{
    public static readonly ClaimTotals None = new(0, 0, 0, null);

    public ClaimTotals Add(Claim part) =>
        new(Due + part.Due, Cancelled + part.Cancelled, Deferred + part.Deferred, part.RateLimitedUntil ?? RateLimitedUntil);
}

/// <summary>
/// The first stage: claims a batch in parts (<see cref="DispatchClaim"/>) on a connection of its
/// own and hands the claimed messages on in order. The first part is small so that sending starts
/// early; each next part is claimed while the channel still holds the part before, so sending never
/// waits for a claim and at most a channel and a part are claimed ahead of sending. The same
/// connection opens the batch (expired claims reaped) and closes it (claims never tried given back).
/// </summary>
internal sealed class ClaimStage : IAsyncDisposable
{
    public const int FirstPartLimit = 50;
    public const int PartLimit = 500;

    private readonly NpgsqlConnection connection;
    private readonly string relay;
    private readonly string node;
    private readonly MailOptions options;
    private readonly TimeProvider clock;
    private int claimed;
    private bool mayHaveMore = true;

    private ClaimStage(NpgsqlConnection connection, string relay, string node, MailOptions options, TimeProvider clock)
    {
        this.connection = connection;
        this.relay = relay;
        this.node = node;
        this.options = options;
        this.clock = clock;
    }

    public static async Task<ClaimStage> OpenAsync(NpgsqlDataSource dataSource, string relay, string node, MailOptions options,
        TimeProvider clock, CancellationToken cancellationToken) =>
        new(await dataSource.OpenConnectionAsync(cancellationToken), relay, node, options, clock);

    /// <summary>The figures of every part claimed so far; read once the stage has ended.</summary>
    public ClaimTotals Totals { get; private set; } = ClaimTotals.None;

    public static int FirstPartSize(int batchSize) => Math.Clamp(batchSize / 10, 1, FirstPartLimit);

    /// <summary>The size of the part after <paramref name="claimedSoFar"/> messages of a batch of <paramref name="batchSize"/>.</summary>
    public static int NextPartSize(int claimedSoFar, int batchSize) =>
        claimedSoFar == 0 ? FirstPartSize(batchSize) : Math.Min(PartLimit, batchSize - claimedSoFar);

    /// <summary>
    /// Reaps expired claims, then claims parts until one has something to send or nothing more is
    /// due: before the relay is opened, so that a batch with nothing to send never connects.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedMessage>> FirstAsync(CancellationToken cancellationToken)
    {
        await DispatchOutcomes.ReapExpiredClaimsAsync(connection, Now());
        IReadOnlyList<ClaimedMessage> sends = [];
        while (sends.Count == 0 && HasMore)
        {
            sends = await ClaimPartAsync(cancellationToken);
        }
        return sends;
    }

    /// <summary>
    /// Hands on <paramref name="first"/>, then claims and hands on the rest of the batch until it is
    /// full, nothing more is due or sending stopped. Completes <paramref name="output"/> whatever happens.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<ClaimedMessage> first, ChannelWriter<ClaimedMessage> output, CancellationToken stop,
        CancellationToken cancellationToken)
    {
        try
        {
            var part = first;
            while (true)
            {
                // Not cancellable: a claim committed is always handed on, to be sent or given back.
                foreach (var message in part)
                {
                    await output.WriteAsync(message, CancellationToken.None);
                }
                if (!HasMore || stop.IsCancellationRequested)
                {
                    return;
                }
                part = await ClaimPartAsync(cancellationToken);
            }
        }
        finally
        {
            output.Complete();
        }
    }

    /// <summary>The relay could not be used: it is marked unreachable and the messages wait for the retry delay.</summary>
    public async Task RelayUnreachableAsync(IEnumerable<long> ids, string error)
    {
        var now = Now();
        await DispatchOutcomes.RelayStateAsync(connection, relay, reachable: false, error, now);
        await DispatchOutcomes.ReleaseAsync(connection, ids, node, error, now + options.RetryBaseDelay);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    /// <summary>Whether the batch has room and the last part found all it asked for, all granted by the rate limit.</summary>
    private bool HasMore => mayHaveMore && claimed < options.BatchSize;

    private async Task<IReadOnlyList<ClaimedMessage>> ClaimPartAsync(CancellationToken cancellationToken)
    {
        var size = NextPartSize(claimed, options.BatchSize);
        var part = await DispatchClaim.ClaimAsync(connection, relay, node, options, Now(), size, cancellationToken);
        claimed += size;
        mayHaveMore = part.Due >= size && part.RateLimitedUntil is null;
        Totals = Totals.Add(part);
        MailMetrics.Claimed(relay, part);
        return part.Sends;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
