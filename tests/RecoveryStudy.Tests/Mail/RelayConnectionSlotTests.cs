using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Mail;

/// <summary>Mail:ConnectionsPerRelay: how many nodes send at once, through slots leased in the database.</summary>
public sealed class RelayConnectionSlotTests(DatabaseFixture database, SmtpSink sink, ITestOutputHelper output)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Two_connections_per_relay_let_two_of_three_nodes_send_at_once_and_never_three()
    {
        var mail = new MailOptions { RatePerMinute = 0, BatchSize = 10, ConnectionsPerRelay = 2 };
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], mail: mail);
        await world.EnrollAsync(120, "S-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        // The tests of this class share the relay: each starts with no slot held.
        await world.Db.Database.ExecuteSqlRawAsync("DELETE FROM relay_connection_slots");
        var nodes = Enumerable.Range(0, 3).Select(_ => MailNode.Create(database, sink, world.Clock, mail)).ToList();
        // A slow relay, so that the sessions overlap.
        sink.DelayData(TimeSpan.FromMilliseconds(25));
        var since = DateTimeOffset.UtcNow;

        var sent = await Task.WhenAll(nodes.Select(n => Task.Run(() => n.Job.RunAsync(CancellationToken.None))));
        sink.DelayData(TimeSpan.Zero);
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        var concurrent = sink.MaxConcurrentSessions(since);
        output.WriteLine($"sent by node: {string.Join(", ", sent)}; most SMTP sessions at once: {concurrent}");
        Assert.Equal(120, sent.Sum());
        Assert.True(sent.Count(s => s > 0) >= 2, "two nodes share the sending");
        Assert.Equal(2, concurrent);
    }

    [Fact]
    public async Task A_dead_nodes_slot_frees_when_its_lease_runs_out()
    {
        var mail = new MailOptions { RatePerMinute = 0, BatchSize = 10, ConnectionsPerRelay = 1, ConnectionLease = TimeSpan.FromMinutes(2) };
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], mail: mail);
        await world.EnrollAsync(5, "L-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        await using var node = MailNode.Create(database, sink, world.Clock, mail);
        var now = world.Clock.GetUtcNow().UtcDateTime;
        // A node that took the only slot and died.
        await world.Db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM relay_connection_slots WHERE relay = {node.Dispatcher.Relay};
            INSERT INTO relay_connection_slots (relay, slot, held_by, held_until) VALUES ({node.Dispatcher.Relay}, 0, 'dead-node', {now + mail.ConnectionLease})
            """);

        Assert.Equal(0, await node.Job.RunAsync(CancellationToken.None));
        world.Clock.Advance(mail.ConnectionLease + TimeSpan.FromSeconds(1));
        Assert.Equal(5, await node.Job.RunAsync(CancellationToken.None));
    }
}
