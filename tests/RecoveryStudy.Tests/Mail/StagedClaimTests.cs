using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// A batch is claimed in growing parts, each while the one before is sent: the claimed-but-unsent
/// messages stay a part or two ahead of sending instead of the whole batch, and no claim of a
/// large batch stands before its first email.
/// </summary>
public sealed class StagedClaimTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Theory]
    [InlineData(50, 5, new[] { 45 })]
    [InlineData(500, 50, new[] { 450 })]
    [InlineData(1200, 50, new[] { 500, 500, 150 })]
    [InlineData(3000, 50, new[] { 500, 500, 500, 500, 500, 450 })]
    [InlineData(1, 1, new int[0])]
    public void Parts_grow_tenfold_up_to_the_part_limit_and_add_up_to_the_batch(int batch, int first, int[] rest)
    {
        Assert.Equal(first, StagedClaim.FirstPartSize(batch));
        var parts = new List<int>();
        for (int previous = first, claimed = first; claimed < batch; claimed += previous)
        {
            previous = StagedClaim.NextPartSize(previous, batch - claimed);
            parts.Add(previous);
        }
        Assert.Equal(rest, parts);
    }

    [Fact]
    public async Task The_next_part_is_claimed_only_once_the_part_before_it_is_taken()
    {
        var options = new MailOptions { RatePerMinute = 0, BatchSize = 1200 };
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], mail: options);
        await DispatcherConcurrencyTests.EnrollAsync(world, 1300, "S-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var now = world.Clock.GetUtcNow().UtcDateTime;
        await using var connection = await world.DataSource.OpenConnectionAsync();

        var claim = await StagedClaim.FirstAsync(connection, "test-relay", "node-a", options, now, CancellationToken.None);
        Assert.Equal(50, claim.First.Sends.Count);
        claim.StartRest(world.DataSource, "test-relay", "node-a", options, world.Clock, CancellationToken.None);
        await ClaimedReachesAsync(world, 550);

        var taken = new List<int> { (await claim.TakeRestAsync()).Count };
        await ClaimedReachesAsync(world, 1050);
        while (claim.HasRest)
        {
            taken.Add((await claim.TakeRestAsync()).Count);
        }
        Assert.Equal([500, 500, 150], taken);
        Assert.Equal(1200, await ClaimedAsync(world));
        Assert.Equal((1200, 0, 0, (DateTime?)null), claim.Totals());
    }

    /// <summary>Waits until <paramref name="count"/> messages are claimed, then checks that no more are claimed without a take.</summary>
    private static async Task ClaimedReachesAsync(MailWorld world, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ClaimedAsync(world) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(count, await ClaimedAsync(world));
        await Task.Delay(300);
        Assert.Equal(count, await ClaimedAsync(world));
    }

    private static async Task<int> ClaimedAsync(MailWorld world) =>
        (await world.MessagesAsync()).Count(m => m.Status == MessageStatus.Sending);
}
