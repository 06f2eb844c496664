using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>
/// A batch claimed in parts, so that sending starts early and never waits for a claim: a small
/// first part (a tenth of the batch, at most <see cref="FirstPartLimit"/>) on the dispatcher's own
/// connection before the relay session opens, then each next part (ten times the one before, at
/// most <see cref="PartLimit"/>) on a connection of its own while the part before it is on the
/// wire. Claiming costs the database per message (locks, fresh link tokens, the lease); claimed in
/// one go, a batch's claim would stand between two batches with nothing sent, and a claim per
/// batch of a few hundred put that pause between every few hundred emails. Whatever a part claimed
/// and was not sent goes back to the queue through <see cref="ReleaseRestAsync"/>.
/// </summary>
internal sealed class StagedClaim
{
    public const int FirstPartLimit = 50;
    public const int PartLimit = 500;

    private readonly int batchSize;
    private int claimed;
    private int lastPartSize;
    private readonly bool lastPartFull;
    private Task<Claim>? next;
    private (int Due, int Cancelled, int Deferred, DateTime? RateLimitedUntil) totals;
    private Func<Task<Claim>>? claimNext;

    private StagedClaim(Claim first, int claimedSoFar, int lastPartSize, bool lastPartFull, int batchSize)
    {
        First = first;
        this.batchSize = batchSize;
        claimed = claimedSoFar;
        this.lastPartSize = lastPartSize;
        this.lastPartFull = lastPartFull;
        totals = (first.Due, first.Cancelled, first.Deferred, first.RateLimitedUntil);
    }

    public Claim First { get; }

    public static int FirstPartSize(int batchSize) => Math.Clamp(batchSize / 10, 1, FirstPartLimit);

    /// <summary>The size of the part after one of <paramref name="previous"/>, with <paramref name="remaining"/> left in the batch.</summary>
    public static int NextPartSize(int previous, int remaining) => Math.Min(remaining, Math.Min(PartLimit, previous * 10));

    /// <summary>
    /// Claims the first part. When all of it was cancelled or deferred and more is due, the next
    /// part is claimed at once as well (there is nothing to send while it is claimed), so that a
    /// run of stopped messages is cleared a part at a time.
    /// </summary>
    public static async Task<StagedClaim> FirstAsync(System.Data.Common.DbConnection connection, string relay, string node, MailOptions options,
        DateTime now, CancellationToken cancellationToken)
    {
        var size = FirstPartSize(options.BatchSize);
        var first = await DispatchClaim.ClaimAsync(connection, relay, node, options, now, size, cancellationToken);
        if (first.Sends.Count > 0 || first.Due < size || options.BatchSize == size || first.RateLimitedUntil is not null)
        {
            return new StagedClaim(first, size, size, MayHaveMore(first, size), options.BatchSize);
        }
        var restSize = NextPartSize(size, options.BatchSize - size);
        var rest = await DispatchClaim.ClaimAsync(connection, relay, node, options, now, restSize, cancellationToken);
        return new StagedClaim(
            new Claim(rest.Sends, first.Cancelled + rest.Cancelled, first.Deferred + rest.Deferred, rest.RateLimitedUntil, first.Due + rest.Due),
            size + restSize, restSize, MayHaveMore(rest, restSize), options.BatchSize);
    }

    /// <summary>
    /// Starts claiming the next part, and from then on each following part when the one before is
    /// taken, while the part before was full (more may be due), the rate limit allowed all of it
    /// and the batch has room. Each part is claimed at the clock's time of its claim.
    /// </summary>
    public void StartRest(NpgsqlDataSource dataSource, string relay, string node, MailOptions options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        claimNext = () => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await DispatchClaim.ClaimAsync(connection, relay, node, options, clock.GetUtcNow().UtcDateTime, lastPartSize, cancellationToken);
        }, cancellationToken);
        StartNext(lastPartFull);
    }

    private void StartNext(bool morePossible)
    {
        if (!morePossible || claimNext is null || claimed >= batchSize)
        {
            next = null;
            return;
        }
        lastPartSize = NextPartSize(lastPartSize, batchSize - claimed);
        claimed += lastPartSize;
        next = claimNext();
    }

    /// <summary>Whether a part is being claimed that was not taken yet.</summary>
    public bool HasRest => next is not null;

    /// <summary>
    /// The next part's messages (empty when there is none), which from then on are the caller's to
    /// send or release; claiming the part after it starts at once.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedMessage>> TakeRestAsync()
    {
        if (next is null)
        {
            return [];
        }
        var part = await next;
        var size = lastPartSize;
        Add(part);
        StartNext(MayHaveMore(part, size));
        return part.Sends;
    }

    /// <summary>Gives the claims of a part being claimed and never taken back to the queue; no further part is claimed.</summary>
    public async Task ReleaseRestAsync(System.Data.Common.DbConnection connection, string node, string reason, DateTime nextAttempt)
    {
        claimNext = null;
        if (next is null)
        {
            return;
        }
        var part = await next;
        next = null;
        Add(part);
        await DispatchOutcomes.ReleaseAsync(connection, part.Sends.Select(s => s.Candidate.Id), node, reason, nextAttempt);
    }

    /// <summary>A part that found as many due as it asked for, all granted by the rate limit: more may be due.</summary>
    private static bool MayHaveMore(Claim part, int size) => part.Due >= size && part.RateLimitedUntil is null;

    /// <summary>The figures of every part taken or released so far.</summary>
    public (int Due, int Cancelled, int Deferred, DateTime? RateLimitedUntil) Totals() => totals;

    private void Add(Claim part) =>
        totals = (totals.Due + part.Due, totals.Cancelled + part.Cancelled, totals.Deferred + part.Deferred,
            part.RateLimitedUntil ?? totals.RateLimitedUntil);
}
