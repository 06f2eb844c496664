using System.Threading.Channels;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// A batch is claimed in parts, each while the channel still holds the part before: the first email
/// of a large batch never waits for the claim of the whole batch, and the claimed-but-unsent messages
/// stay at most a channel and a part ahead of sending instead of the whole batch.
/// </summary>
public sealed class ClaimStageTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Theory]
    [InlineData(50, new[] { 5, 45 })]
    [InlineData(500, new[] { 50, 450 })]
    [InlineData(1200, new[] { 50, 500, 500, 150 })]
    [InlineData(3000, new[] { 50, 500, 500, 500, 500, 500, 450 })]
    [InlineData(1, new[] { 1 })]
    public void Parts_start_small_stay_within_the_part_limit_and_add_up_to_the_batch(int batch, int[] parts)
    {
        var sizes = new List<int>();
        for (var claimed = 0; claimed < batch; claimed += sizes[^1])
        {
            sizes.Add(ClaimStage.NextPartSize(claimed, batch));
        }
        Assert.Equal(parts, sizes);
    }

    [Fact]
    public async Task The_next_part_is_claimed_only_when_the_channel_has_taken_the_part_before_it()
    {
        var options = new MailOptions { RatePerMinute = 0, BatchSize = 1200 };
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], mail: options);
        await world.EnrollAsync(1300, "S-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        await using var claims = await ClaimStage.OpenAsync(world.DataSource, "test-relay", "node-a", options, world.Clock, CancellationToken.None);
        var channel = Channel.CreateBounded<ClaimedMessage>(ClaimStage.PartLimit);

        var first = await claims.FirstAsync(CancellationToken.None);
        Assert.Equal(50, first.Count);
        var running = claims.RunAsync(first, channel.Writer, CancellationToken.None, CancellationToken.None);
        // A full channel means the stage holds the rest of a part it claimed and waits: no claim can start.
        await FullWithClaimedAsync(world, channel, 550);

        var taken = new List<ClaimedMessage>();
        for (var i = 0; i < 100; i++)
        {
            taken.Add(await channel.Reader.ReadAsync());
        }
        await FullWithClaimedAsync(world, channel, 1050);
        await foreach (var message in channel.Reader.ReadAllAsync())
        {
            taken.Add(message);
        }
        await running;

        Assert.Equal(1200, taken.Select(m => m.Candidate.Id).Distinct().Count());
        Assert.Equal(1200, await ClaimedAsync(world));
        Assert.Equal(new ClaimTotals(1200, 0, 0, null), claims.Totals);
    }

    private static async Task FullWithClaimedAsync(MailWorld world, Channel<ClaimedMessage> channel, int claimed)
    {
        await Poll.UntilAsync(async () => channel.Reader.Count >= ClaimStage.PartLimit && await ClaimedAsync(world) >= claimed, TimeSpan.FromSeconds(30));
        Assert.Equal(ClaimStage.PartLimit, channel.Reader.Count);
        Assert.Equal(claimed, await ClaimedAsync(world));
    }

    private static async Task<int> ClaimedAsync(MailWorld world) =>
        (await world.MessagesAsync()).Count(m => m.Status == MessageStatus.Sending);
}
