using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>
/// A batch claimed in two steps, so that sending starts early: a small first part (a tenth of
/// the batch) on the dispatcher's own connection before the relay session opens, then the rest
/// on a connection of its own while the first part is on the wire. Claiming costs the database
/// per message (locks, fresh link tokens, the lease); claimed in one go, the whole batch's claim
/// would stand between two batches with nothing sent. Whatever the rest claimed and was not
/// sent goes back to the queue through <see cref="ReleaseRestAsync"/>.
/// </summary>
internal sealed class StagedClaim(Claim first, int remaining)
{
    private Task<Claim>? rest;
    private bool restTaken;

    public Claim First { get; } = first;

    public static int FirstPartSize(int batchSize) => Math.Max(1, batchSize / 10);

    /// <summary>
    /// Claims the first part. When all of it was cancelled or deferred and more is due, the rest
    /// is claimed at once as well (there is nothing to send while it is claimed), so that a run of
    /// stopped messages is cleared a whole batch at a time.
    /// </summary>
    public static async Task<StagedClaim> FirstAsync(System.Data.Common.DbConnection connection, string relay, string node, MailOptions options,
        DateTime now, CancellationToken cancellationToken)
    {
        var size = FirstPartSize(options.BatchSize);
        var first = await DispatchClaim.ClaimAsync(connection, relay, node, options, now, size, cancellationToken);
        if (first.Sends.Count > 0 || first.Due < size || options.BatchSize == size || first.RateLimitedUntil is not null)
        {
            return new StagedClaim(first, options.BatchSize - size);
        }
        var rest = await DispatchClaim.ClaimAsync(connection, relay, node, options, now, options.BatchSize - size, cancellationToken);
        return new StagedClaim(
            new Claim(rest.Sends, first.Cancelled + rest.Cancelled, first.Deferred + rest.Deferred, rest.RateLimitedUntil, first.Due + rest.Due), 0);
    }

    /// <summary>Starts claiming the rest of the batch, if the first part found more due and the rate limit allows.</summary>
    public void StartRest(NpgsqlDataSource dataSource, string relay, string node, MailOptions options, DateTime now, CancellationToken cancellationToken)
    {
        if (remaining <= 0 || First.Due < FirstPartSize(options.BatchSize) || First.RateLimitedUntil is not null)
        {
            return;
        }
        rest = Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await DispatchClaim.ClaimAsync(connection, relay, node, options, now, remaining, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>The rest's messages, once (empty when there is no rest); from then on they are the caller's to send or release.</summary>
    public async Task<IReadOnlyList<ClaimedMessage>> TakeRestAsync()
    {
        if (rest is null || restTaken)
        {
            return [];
        }
        var claimed = await rest;
        restTaken = true;
        return claimed.Sends;
    }

    /// <summary>Gives the rest's claims back to the queue when they were never taken for sending.</summary>
    public async Task ReleaseRestAsync(System.Data.Common.DbConnection connection, string node, string reason, DateTime next)
    {
        if (rest is null || restTaken)
        {
            return;
        }
        restTaken = true;
        var claim = await rest;
        await DispatchOutcomes.ReleaseAsync(connection, claim.Sends.Select(s => s.Candidate.Id), node, reason, next);
    }

    /// <summary>The figures of both parts together (the rest's only once it was taken or released).</summary>
    public (int Due, int Cancelled, int Deferred, DateTime? RateLimitedUntil) Totals()
    {
        var second = rest is { IsCompletedSuccessfully: true } ? rest.Result : null;
        return (First.Due + (second?.Due ?? 0), First.Cancelled + (second?.Cancelled ?? 0), First.Deferred + (second?.Deferred ?? 0),
            second?.RateLimitedUntil ?? First.RateLimitedUntil);
    }
}
