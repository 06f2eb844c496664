using MimeKit;

namespace RecoveryStudy.Mail;

/// <summary>A way out for email: an SMTP relay or a pickup folder.</summary>
public interface IMailTransport
{
    /// <summary>The relay's name: the key of its shared rate limit and health.</summary>
    string RelayName { get; }

    /// <summary>Opens one connection for a batch; throws <see cref="MailRelayUnreachableException"/> when it cannot.</summary>
    Task<IMailSession> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>One connection, reused for every message of a batch.</summary>
public interface IMailSession : IAsyncDisposable
{
    /// <summary>Sends one email; the outcome's reply never holds the email's recipients (see <see cref="ReplyRedaction"/>).</summary>
    Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

public enum SendResult
{
    /// <summary>2xx: the relay took the message.</summary>
    Sent,

    /// <summary>4xx or a connection lost before the body went out: try again later.</summary>
    Temporary,

    /// <summary>The connection dropped after the body went out: it may or may not have been taken.</summary>
    Unknown,

    /// <summary>5xx for the recipient: the address does not work.</summary>
    RecipientRejected,

    /// <summary>Any other 5xx: this message will never be taken.</summary>
    Rejected,

    /// <summary>Not tried: the connection was lost and could not be opened again.</summary>
    NotAttempted,
}

public sealed record SendOutcome(SendResult Result, string Reply);

public sealed class MailRelayUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
