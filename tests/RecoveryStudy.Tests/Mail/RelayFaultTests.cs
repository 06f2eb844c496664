using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using Xunit.Abstractions;

namespace RecoveryStudy.Tests.Mail;

/// <summary>A relay that answers 421/451/452/550/552, drops the connection after DATA, or goes down and comes back.</summary>
public sealed class RelayFaultTests(DatabaseFixture database, SmtpSink sink, ITestOutputHelper output)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    private Dictionary<string, int> Deliveries(IEnumerable<Message> messages)
    {
        var ours = messages.Select(m => EmailComposer.MessageIdFor(m.Id, "example.org")).ToHashSet();
        return sink.Messages().Where(m => m.MessageId is not null && ours.Contains(m.MessageId)).GroupBy(m => m.MessageId!)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    [Fact]
    public async Task A_mix_of_replies_retries_4xx_on_the_backoff_ladder_never_retries_5xx_and_counts_the_unknown()
    {
        var mail = new MailOptions { RatePerMinute = 0, BatchSize = 50, RetryBaseDelay = TimeSpan.FromMinutes(1), RetryMaxDelay = TimeSpan.FromHours(2), MaxAttempts = 8 };
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], mail: mail);
        await world.EnrollAsync(10, "F-");
        // One mailbox stays full (452 at RCPT) for the whole test; the DATA answers below go one to each of the first five emails.
        sink.RejectRecipient("f-10@example.org", 452, "4.2.2 Mailbox full");
        sink.FailNextData((421, "4.7.0 Too many connections, closing"), (451, "4.3.0 Try again later"), (452, "4.3.1 Insufficient storage"),
            (550, "5.7.1 Message refused"), (552, "5.3.4 Message too big"));
        sink.DropAfterData(1);

        Assert.Equal(3, await world.Jobs.TickAsync());
        var messages = await world.MessagesAsync();
        Assert.Equal(2, messages.Count(m => m.Status == MessageStatus.Failed));
        Assert.All(messages.Where(m => m.Status == MessageStatus.Failed), m => Assert.Matches("^55[02]", m.LastError ?? ""));
        var waiting = messages.Where(m => m.Status == MessageStatus.Queued).ToList();
        Assert.Equal(5, waiting.Count);
        Assert.Equal(1, messages.Sum(m => m.UnknownOutcomes));
        var now = world.Clock.GetUtcNow().UtcDateTime;
        Assert.All(waiting, m => Assert.Equal(now.AddMinutes(1), m.NextAttemptAt));

        // Not before the first step of the ladder (1 minute), then the three 4xx and the unknown go out.
        world.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await world.Jobs.TickAsync());
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, await world.Jobs.TickAsync());

        // The full mailbox climbs the ladder: 2, 4, 8, 16, 32, 64 minutes, and fails at the eighth attempt (127 minutes in).
        var full = (await world.MessagesAsync()).Single(m => m.Status == MessageStatus.Queued);
        var ladder = new List<double>();
        while (full.Status == MessageStatus.Queued)
        {
            var wait = full.NextAttemptAt - world.Clock.GetUtcNow().UtcDateTime;
            ladder.Add(wait.TotalMinutes);
            world.Clock.Advance(wait);
            await world.Jobs.TickAsync();
            full = (await world.MessagesAsync()).Single(m => m.Id == full.Id);
        }
        output.WriteLine("4xx ladder (minutes): 1, " + string.Join(", ", ladder));
        double[] expected = [2, 4, 8, 16, 32, 64];
        Assert.Equal(expected, ladder);
        Assert.Equal(MessageStatus.Failed, full.Status);
        Assert.Equal(8, full.Attempts);

        messages = await world.MessagesAsync();
        Assert.Equal(7, messages.Count(m => m.Status == MessageStatus.Sent));
        // The 5xx were tried once and never again.
        Assert.All(messages.Where(m => m.Status == MessageStatus.Failed && m.Id != full.Id), m => Assert.Equal(1, m.Attempts));
        // The dropped email reached the relay before the drop and once more: the one duplicate, counted.
        var deliveries = Deliveries(messages);
        Assert.Equal(7, deliveries.Count);
        Assert.Equal(messages.Sum(m => m.UnknownOutcomes), deliveries.Sum(d => d.Value - 1));
    }

    /// <summary>The relay is down for 20 seconds of real time (the scenario says 2 minutes; the length changes nothing here).</summary>
    [Fact]
    public async Task A_relay_that_goes_down_mid_batch_and_comes_back_gets_every_email_and_none_fails_for_good()
    {
        var mail = new MailOptions { RatePerMinute = 0, BatchSize = 50, RetryBaseDelay = TimeSpan.FromMinutes(1) };
        await using var world = await MailWorld.CreateAsync(database, sink, reminders: [], mail: mail);
        await world.EnrollAsync(40, "B-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var before = sink.Messages().Count;
        sink.DelayData(TimeSpan.FromMilliseconds(50));

        var sending = Task.Run(() => world.Jobs.Dispatcher().DispatchBatchAsync(CancellationToken.None));
        await Poll.UntilAsync(() => sink.Messages().Count - before >= 10, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        await sink.StopAsync();
        var cut = await sending;
        Assert.True(cut.RelayUnreachable, "the batch saw the relay go");

        var down = System.Diagnostics.Stopwatch.StartNew();
        var attemptsWhileDown = 0;
        while (down.Elapsed < TimeSpan.FromSeconds(20))
        {
            world.Clock.Advance(TimeSpan.FromMinutes(1));
            var result = await world.Jobs.Dispatcher().DispatchBatchAsync(CancellationToken.None);
            attemptsWhileDown += result.RelayUnreachable ? 1 : 0;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        Assert.True(attemptsWhileDown > 0);
        Assert.DoesNotContain(await world.MessagesAsync(), m => m.Status == MessageStatus.Failed);

        sink.DelayData(TimeSpan.Zero);
        await sink.StartAsync();
        for (var tick = 0; tick < 5 && (await world.MessagesAsync()).Any(m => m.Status != MessageStatus.Sent); tick++)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(5));
            await world.Jobs.TickAsync();
        }

        var messages = await world.MessagesAsync();
        var deliveries = Deliveries(messages);
        var duplicates = deliveries.Sum(d => d.Value - 1);
        output.WriteLine($"relay down 20 s mid-batch: {messages.Count} sent, {duplicates} delivered twice, {messages.Sum(m => m.UnknownOutcomes)} unknown outcomes");
        Assert.All(messages, m => Assert.Equal(MessageStatus.Sent, m.Status));
        Assert.Equal(40, deliveries.Count);
        Assert.InRange(duplicates, 0, messages.Sum(m => m.UnknownOutcomes));
    }
}
