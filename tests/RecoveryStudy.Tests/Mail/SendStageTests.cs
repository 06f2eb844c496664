using System.Threading.Channels;
using MimeKit;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Mail;

public sealed class SendStageTests
{
    [Fact]
    public async Task An_email_goes_out_only_when_its_outcome_has_room_to_be_recorded()
    {
        var relay = new CountingSession(_ => new SendOutcome(SendResult.Sent, "250 ok"));
        var attempts = Channel.CreateBounded<SendAttempt>(2);
        using var stop = new CancellationTokenSource();
        var stage = new SendStage(relay, TimeProvider.System);

        var running = Task.Run(() => stage.RunAsync(Composed(6, []), attempts.Writer, stop, CancellationToken.None));
        // Nothing is recorded: two outcomes wait, and the third email waits for their room before it is sent.
        await Poll.UntilAsync(() => attempts.Reader.Count >= 2, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        Assert.Equal(2, attempts.Reader.Count);
        Assert.Equal(2, relay.Sent);

        var recorded = new List<long>();
        await foreach (var attempt in attempts.Reader.ReadAllAsync())
        {
            recorded.Add(attempt.Claimed.Candidate.Id);
        }
        await running;
        Assert.Equal([1, 2, 3, 4, 5, 6], recorded);
        Assert.Equal(6, relay.Sent);
    }

    [Fact]
    public async Task Once_the_relay_is_lost_every_email_left_is_disposed_and_noted_as_never_tried()
    {
        var relay = new CountingSession(_ => new SendOutcome(SendResult.NotAttempted, "connection lost"));
        var streams = new List<Stream>();
        var attempts = Channel.CreateBounded<SendAttempt>(10);
        using var stop = new CancellationTokenSource();
        var stage = new SendStage(relay, TimeProvider.System);

        await stage.RunAsync(Composed(5, streams), attempts.Writer, stop, CancellationToken.None);

        Assert.Equal("connection lost", stage.RelayLost);
        Assert.True(stop.IsCancellationRequested, "the other stages were not told to stop");
        Assert.Equal([1, 2, 3, 4, 5], stage.NotTried);
        Assert.Equal(1, relay.Sent);
        Assert.False(attempts.Reader.TryRead(out _));
        // Disposing a message disposes its parts and their contents, which close their streams.
        Assert.Equal(5, streams.Count);
        Assert.All(streams, stream => Assert.False(stream.CanRead));
    }

    private static ChannelReader<ComposedMessage> Composed(int count, List<Stream> streams)
    {
        var channel = Channel.CreateUnbounded<ComposedMessage>();
        for (var i = 1; i <= count; i++)
        {
            var part = new TextPart("plain") { Text = "email " + i };
            streams.Add(part.Content?.Stream ?? throw new InvalidOperationException("a part without content"));
            var email = new MimeMessage { MessageId = $"m{i}@example.org", Body = part };
            channel.Writer.TryWrite(new ComposedMessage(new ClaimedMessage(new DispatchCandidate { Id = i }, "s", "u"), email, null));
        }
        channel.Writer.Complete();
        return channel.Reader;
    }

    private sealed class CountingSession(Func<MimeMessage, SendOutcome> answer) : IMailSession
    {
        private int sent;

        public int Sent => Volatile.Read(ref sent);

        public Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref sent);
            return Task.FromResult(answer(message));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
