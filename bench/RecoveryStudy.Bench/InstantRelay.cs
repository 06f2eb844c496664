using RecoveryStudy.Mail;

namespace RecoveryStudy.Bench;

/// <summary>
/// A relay that takes every message at once without reading it: with it, the dispatcher's run
/// shows what the dispatcher itself costs per email (claim, tokens, compose, outcomes).
/// </summary>
internal sealed class InstantRelay : IMailTransport
{
    public string RelayName => "instant";

    public Task<IMailSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailSession>(new Session());

    private sealed class Session : IMailSession
    {
        private static readonly Task<SendOutcome> Taken = Task.FromResult(new SendOutcome(SendResult.Sent, "250 OK"));

        public Task<SendOutcome> SendAsync(MimeKit.MimeMessage message, CancellationToken cancellationToken) => Taken;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
