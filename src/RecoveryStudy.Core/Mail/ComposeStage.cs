using System.Threading.Channels;
using MimeKit;

namespace RecoveryStudy.Mail;

/// <summary>A claimed message and its email, or why it has none: not composable, or not composed because sending stopped.</summary>
internal sealed record ComposedMessage(ClaimedMessage Claimed, MimeMessage? Email, SendOutcome? NotComposed);

/// <summary>
/// The second stage: composes the claimed emails one after another, in order, so that composing
/// fills the time the relay takes to answer instead of standing between two sends. How far it runs
/// ahead of sending is the capacity of its output channel. Composing has no side effects: once
/// sending stopped, the rest is handed on uncomposed, to be given back.
/// </summary>
internal static class ComposeStage
{
    /// <summary>How many composed emails wait for the relay: enough to cover an uneven compose time.</summary>
    public const int Ahead = 4;

    public static async Task RunAsync(Func<ClaimedMessage, MimeMessage> compose, ChannelReader<ClaimedMessage> input,
        ChannelWriter<ComposedMessage> output, CancellationToken stop)
    {
        try
        {
            // Never cancelled: everything claimed is handed on, so that what is not sent is given back.
            await foreach (var claimed in input.ReadAllAsync(CancellationToken.None))
            {
                var composed = Compose(compose, claimed, stop);
                if (!output.TryWrite(composed))
                {
                    await output.WriteAsync(composed, CancellationToken.None);
                    // Resumed by the send stage taking an email: compose the next on the pool, not on its time.
                    await Task.Yield();
                }
            }
        }
        catch
        {
            // The claims still coming go on uncomposed, so that they are given back and the claim stage never waits on a full channel.
            await foreach (var claimed in input.ReadAllAsync(CancellationToken.None))
            {
                await output.WriteAsync(new ComposedMessage(claimed, null, null), CancellationToken.None);
            }
            throw;
        }
        finally
        {
            output.Complete();
        }
    }

    private static ComposedMessage Compose(Func<ClaimedMessage, MimeMessage> compose, ClaimedMessage claimed, CancellationToken stop)
    {
        if (stop.IsCancellationRequested)
        {
            return new ComposedMessage(claimed, null, null);
        }
        try
        {
            return new ComposedMessage(claimed, compose(claimed), null);
        }
        catch (EmailNotComposedException e)
        {
            return new ComposedMessage(claimed, null, e.Outcome);
        }
    }
}
