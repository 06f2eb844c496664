using System.Threading.Channels;
using MimeKit;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Mail;

public sealed class ComposeStageTests
{
    private static ClaimedMessage Claimed(long id) => new(new DispatchCandidate { Id = id }, "s", "u");

    private static ChannelReader<ClaimedMessage> Claims(int count)
    {
        var channel = Channel.CreateUnbounded<ClaimedMessage>();
        for (var i = 1; i <= count; i++)
        {
            channel.Writer.TryWrite(Claimed(i));
        }
        channel.Writer.Complete();
        return channel.Reader;
    }

    [Fact]
    public async Task Emails_are_composed_in_order_one_at_a_time_and_at_most_the_channel_ahead_of_sending()
    {
        var active = 0;
        var mostActive = 0;
        var started = new List<long>();
        MimeMessage Compose(ClaimedMessage claimed)
        {
            var now = Interlocked.Increment(ref active);
            lock (started)
            {
                started.Add(claimed.Candidate.Id);
                mostActive = Math.Max(mostActive, now);
            }
            Interlocked.Decrement(ref active);
            return new MimeMessage { MessageId = $"m{claimed.Candidate.Id}@example.org" };
        }
        int Started()
        {
            lock (started)
            {
                return started.Count;
            }
        }
        var composed = Channel.CreateBounded<ComposedMessage>(ComposeStage.Ahead);

        var running = Task.Run(() => ComposeStage.RunAsync(Compose, Claims(13), composed.Writer, CancellationToken.None));
        // Nothing is sent yet: the channel fills and one more email waits to be handed on.
        await Poll.UntilAsync(() => composed.Reader.Count >= ComposeStage.Ahead && Started() > ComposeStage.Ahead, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        lock (started)
        {
            Assert.Equal([1, 2, 3, 4, 5], started);
        }

        var sent = new List<string>();
        await foreach (var message in composed.Reader.ReadAllAsync())
        {
            using var email = message.Email;
            sent.Add(email!.MessageId!);
        }
        await running;
        Assert.Equal(Enumerable.Range(1, 13).Select(i => $"m{i}@example.org"), sent);
        Assert.Equal(1, mostActive);
    }

    [Fact]
    public async Task An_email_taken_for_sending_is_no_longer_held_by_the_stage()
    {
        var composed = Channel.CreateBounded<ComposedMessage>(ComposeStage.Ahead);
        var running = Task.Run(() => ComposeStage.RunAsync(
            claimed => new MimeMessage { MessageId = $"m{claimed.Candidate.Id}@example.org" }, Claims(3), composed.Writer, CancellationToken.None));

        // Taken once composed, as the send stage does while the relay answers the email before.
        await running;
        var first = await TakeWeaklyAsync(composed.Reader);
        await composed.Reader.ReadAsync();
        // The awaits above may have run inside the frame of the task that composed the first email,
        // which holds it until that frame is left: collect from fresh stacks, a few times if need be.
        for (var attempt = 0; attempt < 20 && first.IsAlive; attempt++)
        {
            await Task.Delay(50);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        // A batch of thousands that kept every email it had sent made each young-generation collection copy them all.
        Assert.False(first.IsAlive, "the first email is still referenced after it was taken");
        await composed.Reader.ReadAsync();
    }

    [Fact]
    public async Task Once_sending_stopped_the_rest_is_handed_on_without_being_composed()
    {
        var composed = Channel.CreateUnbounded<ComposedMessage>();
        var calls = 0;

        await ComposeStage.RunAsync(_ =>
        {
            calls++;
            return new MimeMessage();
        }, Claims(5), composed.Writer, new CancellationToken(canceled: true));

        var handedOn = new List<ComposedMessage>();
        await foreach (var message in composed.Reader.ReadAllAsync())
        {
            handedOn.Add(message);
        }
        Assert.Equal(0, calls);
        Assert.Equal([1, 2, 3, 4, 5], handedOn.Select(m => m.Claimed.Candidate.Id));
        Assert.All(handedOn, m => Assert.True(m.Email is null && m.NotComposed is null));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> TakeWeaklyAsync(ChannelReader<ComposedMessage> reader) =>
        new((await reader.ReadAsync()).Email);
}
