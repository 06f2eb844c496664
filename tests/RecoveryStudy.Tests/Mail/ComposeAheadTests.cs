using MimeKit;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Tests.Mail;

public sealed class ComposeAheadTests
{
    private static ClaimedMessage Claimed(long id) => new(new DispatchCandidate { Id = id }, "s", "u");

    [Fact]
    public async Task Emails_are_composed_in_order_one_at_a_time_at_most_the_depth_ahead_and_for_messages_added_later()
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
            Thread.Sleep(5);
            Interlocked.Decrement(ref active);
            return new MimeMessage { MessageId = $"m{claimed.Candidate.Id}@example.org" };
        }
        var sends = Enumerable.Range(1, 3).Select(i => Claimed(i)).ToList();
        var ahead = new ComposeAhead(Compose, depth: 4);

        Assert.Equal("m1@example.org", (await ahead.At(sends, 0)).MessageId);
        Assert.Equal("m2@example.org", (await ahead.At(sends, 1)).MessageId);
        // The rest of the batch arrives: composing goes on with it, still at most four ahead.
        sends.AddRange(Enumerable.Range(4, 10).Select(i => Claimed(i)));
        Assert.Equal("m3@example.org", (await ahead.At(sends, 2)).MessageId);
        await Task.Delay(100);
        lock (started)
        {
            Assert.Equal([1, 2, 3, 4, 5, 6, 7], started);
        }

        var rest = new List<string>();
        for (var i = 3; i < sends.Count; i++)
        {
            rest.Add((await ahead.At(sends, i)).MessageId!);
        }
        Assert.Equal(Enumerable.Range(4, 10).Select(i => $"m{i}@example.org"), rest);
        Assert.Equal(1, mostActive);
    }

    [Fact]
    public async Task An_email_taken_for_sending_is_no_longer_held_by_the_batch()
    {
        var sends = Enumerable.Range(1, 3).Select(i => Claimed(i)).ToList();
        var ahead = new ComposeAhead(claimed => new MimeMessage { MessageId = $"m{claimed.Candidate.Id}@example.org" }, depth: 4);

        var first = await TakeWeaklyAsync(ahead, sends, 0);
        await ahead.At(sends, 1);
        // The awaits above may have run inside the frame of the task that composed the first email,
        // which holds it until that frame is left: collect from fresh stacks, a few times if need be.
        for (var attempt = 0; attempt < 20 && first.IsAlive; attempt++)
        {
            await Task.Delay(50);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        // A batch of thousands that kept every email it had sent made each young-generation
        // collection copy them all.
        Assert.False(first.IsAlive, "the first email is still referenced after it was taken");
        await Assert.ThrowsAsync<InvalidOperationException>(() => ahead.At(sends, 0));
    }

    [Fact]
    public async Task Emails_composed_and_never_taken_are_disposed_when_the_batch_drops_them()
    {
        var streams = new System.Collections.Concurrent.ConcurrentDictionary<long, Stream>();
        MimeMessage Compose(ClaimedMessage claimed)
        {
            var part = new TextPart("plain") { Text = "email " + claimed.Candidate.Id };
            streams[claimed.Candidate.Id] = part.Content?.Stream ?? throw new InvalidOperationException("a part without content");
            return new MimeMessage { Body = part };
        }
        var sends = Enumerable.Range(1, 5).Select(i => Claimed(i)).ToList();
        var ahead = new ComposeAhead(Compose, depth: 4);

        using (await ahead.At(sends, 0))
        {
        }
        ahead.DropRemaining();

        // Emails 2-5 were composed ahead (each disposed once its composition is done) and are no longer handed out.
        for (var attempt = 0; attempt < 100 && (streams.Count < 5 || streams.Values.Any(stream => stream.CanRead)); attempt++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(5, streams.Count);
        Assert.All(streams.Values, stream => Assert.False(stream.CanRead));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ahead.At(sends, 1));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> TakeWeaklyAsync(ComposeAhead ahead, List<ClaimedMessage> sends, int index) =>
        new(await ahead.At(sends, index));
}
