using MimeKit;

namespace RecoveryStudy.Mail;

/// <summary>
/// Composes a batch's emails a few ahead of the one on the wire, one after another on the thread
/// pool, so that composing (placeholders, both parts, headers: a fifth of a millisecond) fills the
/// time the relay takes to answer instead of standing between two sends. Composing has no side
/// effects: emails composed and never sent (the batch stopped) are simply dropped.
/// </summary>
internal sealed class ComposeAhead(Func<ClaimedMessage, MimeMessage> compose, int depth)
{
    private readonly List<Task<MimeMessage>> composing = [];

    /// <summary>
    /// The email of <paramref name="sends"/>[<paramref name="index"/>], once composed; starts the
    /// next ones up to the depth. <paramref name="sends"/> may have grown since the last call.
    /// </summary>
    public Task<MimeMessage> At(IReadOnlyList<ClaimedMessage> sends, int index)
    {
        StartUpTo(sends, index + depth);
        return composing[index];
    }

    /// <summary>Starts composing every email up to <paramref name="last"/> that is not started yet.</summary>
    private void StartUpTo(IReadOnlyList<ClaimedMessage> sends, int last)
    {
        for (var k = composing.Count; k < sends.Count && k <= last; k++)
        {
            var claimed = sends[k];
            // One at a time, in order: the composer's caches are not shared between threads.
            var previous = k == 0 ? Task.CompletedTask : (Task)composing[k - 1];
            composing.Add(previous.ContinueWith(_ => compose(claimed), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default));
        }
    }
}
