using System.Threading.Channels;

namespace RecoveryStudy.Mail;

/// <summary>A message the relay was asked to take, and its answer.</summary>
internal sealed record SendAttempt(ClaimedMessage Claimed, SendOutcome Outcome, string? SmtpMessageId, DateTime At);

/// <summary>
/// The third stage: sends each composed email over the batch's one relay session and hands its
/// outcome to the record stage. An email goes out only when its outcome has room in the output
/// channel, so the emails sent and not yet recorded never exceed that channel's capacity plus the
/// group being written. Every email is disposed once sent or dropped: MimeKit's messages, parts and
/// contents have finalizers, and an email left to them outlives a collection with all it holds.
/// Once the relay is lost or a stage fails, sending stops and the rest is noted as never tried.
/// A permit of the relay's quota older than <c>permitLifetime</c> is not used: that email is noted
/// as never tried and waits for a new permit (<see cref="RelayRateLimiter"/>).
/// </summary>
internal sealed class SendStage(IMailSession session, TimeProvider clock, TimeSpan? permitLifetime = null)
{
    private readonly List<long> notTried = [];

    /// <summary>Claimed messages never tried; read once the stage has ended.</summary>
    public IReadOnlyList<long> NotTried => notTried;

    /// <summary>The relay's last answer when it was lost mid-batch, or null.</summary>
    public string? RelayLost { get; private set; }

    public async Task RunAsync(ChannelReader<ComposedMessage> input, ChannelWriter<SendAttempt> output, CancellationTokenSource stop,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var composed in input.ReadAllAsync(CancellationToken.None))
            {
                using var email = composed.Email;
                // Waiting for room before sending (not after) is what bounds the emails sent and not recorded.
                if (composed.Email is null && composed.NotComposed is null || !await output.WaitToWriteAsync(CancellationToken.None)
                    || stop.IsCancellationRequested || PermitExpired(composed.Claimed))
                {
                    notTried.Add(composed.Claimed.Candidate.Id);
                    continue;
                }
                var outcome = composed.NotComposed ?? await session.SendAsync(email!, cancellationToken);
                if (outcome.Result == SendResult.NotAttempted)
                {
                    RelayLost = outcome.Reply;
                    await stop.CancelAsync();
                    notTried.Add(composed.Claimed.Candidate.Id);
                    continue;
                }
                output.TryWrite(new SendAttempt(composed.Claimed, outcome, email?.MessageId, clock.GetUtcNow().UtcDateTime));
            }
        }
        catch
        {
            await stop.CancelAsync();
            await DropRestAsync(input);
            throw;
        }
        finally
        {
            output.Complete();
        }
    }

    private bool PermitExpired(ClaimedMessage claimed) =>
        permitLifetime is TimeSpan lifetime && clock.GetUtcNow().UtcDateTime - claimed.ClaimedAt > lifetime;

    /// <summary>After a failure: the emails still coming are disposed and noted as never tried.</summary>
    private async Task DropRestAsync(ChannelReader<ComposedMessage> input)
    {
        await foreach (var composed in input.ReadAllAsync(CancellationToken.None))
        {
            composed.Email?.Dispose();
            notTried.Add(composed.Claimed.Candidate.Id);
        }
    }
}
