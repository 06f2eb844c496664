using MimeKit;

namespace RecoveryStudy.Mail;

/// <summary>
/// Composes a batch's emails a few ahead of the one on the wire, one after another on the thread
/// pool, so that composing (placeholders, both parts, headers: a tenth of a millisecond) fills the
/// time the relay takes to answer instead of standing between two sends. Composing has no side
/// effects: emails composed and never sent (the batch stopped) are dropped (disposed, see
/// <see cref="DropRemaining"/>). An email is let go once it is taken: a batch of thousands
/// holding every email it sent (about 40 KB each) made every collection of the young generation
/// copy them, pausing sending for tens of milliseconds each time.
/// </summary>
internal sealed class ComposeAhead(Func<ClaimedMessage, MimeMessage> compose, int depth)
{
    private readonly List<Task<MimeMessage>?> composing = [];
    private Task last = Task.CompletedTask;

    /// <summary>
    /// The email of <paramref name="sends"/>[<paramref name="index"/>], once composed; starts the
    /// next ones up to the depth. Each index is taken once, in order; <paramref name="sends"/> may
    /// have grown since the last call.
    /// </summary>
    public Task<MimeMessage> At(IReadOnlyList<ClaimedMessage> sends, int index)
    {
        StartUpTo(sends, index + depth);
        var email = composing[index] ?? throw new InvalidOperationException($"Email {index} of the batch was taken already.");
        composing[index] = null;
        return email;
    }

    /// <summary>
    /// Disposes every email composed and not taken (a batch that stopped early), once its
    /// composition is done: MimeKit's messages have finalizers, see the sending loop.
    /// </summary>
    public void DropRemaining()
    {
        for (var k = 0; k < composing.Count; k++)
        {
            composing[k]?.ContinueWith(static composed => composed.Result.Dispose(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            composing[k] = null;
        }
    }

    /// <summary>Starts composing every email up to <paramref name="lastIndex"/> that is not started yet.</summary>
    private void StartUpTo(IReadOnlyList<ClaimedMessage> sends, int lastIndex)
    {
        for (var k = composing.Count; k < sends.Count && k <= lastIndex; k++)
        {
            var claimed = sends[k];
            // One at a time, in order: each starts when the one before it is composed.
            var next = last.ContinueWith(_ => compose(claimed), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            composing.Add(next);
            last = next;
        }
    }
}
