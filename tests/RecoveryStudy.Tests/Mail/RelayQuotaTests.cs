using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Mail;

/// <summary>The relay's quotas held by several nodes together (docs/design.md, "Relay quota across nodes").</summary>
public sealed class RelayQuotaTests(DatabaseFixture database, SmtpSink sink, ITestOutputHelper output)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    /// <summary>The tests of this class start at the same moment on the same relay: each begins with an empty quota log.</summary>
    private static Task ForgetEarlierGrantsAsync(MailWorld world) =>
        world.Db.Database.ExecuteSqlRawAsync("DELETE FROM relay_permits; DELETE FROM mail_relays");

    [Fact]
    public async Task Three_nodes_together_never_exceed_the_per_minute_quota_in_any_60_seconds_and_use_it()
    {
        var mail = new MailOptions { RatePerMinute = 60, BurstSeconds = 10, BatchSize = 20 };
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], mail: mail);
        await ForgetEarlierGrantsAsync(world);
        await world.EnrollAsync(300, "Q-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var nodes = Enumerable.Range(0, 3).Select(_ => MailNode.Create(database, sink, world.Clock, mail)).ToList();
        var sentBy = new int[nodes.Count];

        // Every second of the clock, the three nodes each run a batch at the same time.
        for (var second = 0; second < 200; second++)
        {
            var results = await Task.WhenAll(nodes.Select(n => Task.Run(() => n.Dispatcher.DispatchBatchAsync(CancellationToken.None))));
            for (var i = 0; i < nodes.Count; i++)
            {
                sentBy[i] += results[i].Sent;
            }
            world.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        var sentAt = (await world.MessagesAsync()).Where(m => m.SentAt is not null).Select(m => m.SentAt!.Value).Order().ToList();
        var busiest = sentAt.Select((t, i) => sentAt.Skip(i).TakeWhile(u => u < t.AddSeconds(60)).Count()).Max();
        output.WriteLine($"200 s at 60/min over 3 nodes: {sentAt.Count} sent ({string.Join(", ", sentBy)} by node), busiest 60 s window {busiest}");
        Assert.InRange(busiest, 57, 60);
        Assert.True(sentBy.Count(s => s > 0) >= 2, "the sending is shared: " + string.Join(", ", sentBy));
    }

    [Fact]
    public async Task The_per_day_quota_stops_sending_and_it_resumes_when_the_day_has_passed()
    {
        var mail = new MailOptions { RatePerMinute = 0, RatePerDay = 5, BatchSize = 20 };
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], mail: mail);
        await ForgetEarlierGrantsAsync(world);
        await world.EnrollAsync(8, "D-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        await using var first = MailNode.Create(database, sink, world.Clock, mail);
        await using var second = MailNode.Create(database, sink, world.Clock, mail);
        var start = world.Clock.GetUtcNow().UtcDateTime;

        Assert.Equal(5, await first.DrainAsync() + await second.DrainAsync());
        var limited = await second.Dispatcher.DispatchBatchAsync(CancellationToken.None);
        Assert.Equal(0, limited.Sent);
        Assert.Equal(start.AddDays(1), limited.RateLimitedUntil);

        world.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await first.DrainAsync() + await second.DrainAsync());
        world.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(3, await second.DrainAsync() + await first.DrainAsync());
        Assert.All(await world.MessagesAsync(), m => Assert.Equal(RecoveryStudy.Data.MessageStatus.Sent, m.Status));
    }
}
