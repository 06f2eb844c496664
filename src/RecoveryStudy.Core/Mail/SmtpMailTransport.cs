using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace RecoveryStudy.Mail;

/// <summary>
/// Sends through an SMTP relay with MailKit: one connection per batch, reopened once if the
/// relay drops it. Replies are classified as docs/design.md says: 2xx sent, 4xx or a lost connection
/// temporary, 5xx for the recipient undeliverable, other 5xx rejected; a connection lost after
/// the whole body went out is "unknown" (the relay may have taken it). With an
/// <paramref name="envelopeSender"/> (VERP, RecoveryStudy.Bounces), MAIL FROM names the email
/// itself, so a bounce maps to its outbox row. With <paramref name="tokens"/> (Mail:Smtp:OAuth) the
/// relay sign-in is XOAUTH2 with a token that is renewed before it expires; a refused sign-in or
/// no token at all counts as the relay being unreachable, so the batch waits and is tried again.
/// </summary>
public sealed class SmtpMailTransport(SmtpSettings settings, Func<MimeMessage, MailboxAddress?>? envelopeSender = null, OAuthTokenProvider? tokens = null)
    : IMailTransport
{
    public string RelayName => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"smtp:{settings.Host}:{settings.Port}");

    public async Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        var session = new Session(settings, envelopeSender, tokens);
        await session.ConnectAsync(cancellationToken);
        return session;
    }

    private sealed class Session(SmtpSettings settings, Func<MimeMessage, MailboxAddress?>? envelopeSender, OAuthTokenProvider? tokens) : IMailSession
    {
        private readonly SmtpClient client = new() { Timeout = (int)settings.Timeout.TotalMilliseconds };

        public async Task ConnectAsync(CancellationToken cancellationToken)
        {
            var security = Enum.Parse<SmtpSecurity>(settings.Security, ignoreCase: true) switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
                SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            };
            try
            {
                var socket = await RelaySocket.ConnectAsync(settings.Host, settings.Port, settings.Timeout, cancellationToken);
                try
                {
                    await client.ConnectAsync(socket, settings.Host, settings.Port, security, cancellationToken);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                if (tokens is not null)
                {
                    await OAuthSignIn.AuthenticateAsync(client, tokens, cancellationToken);
                }
                else if (!string.IsNullOrEmpty(settings.User))
                {
                    await client.AuthenticateAsync(settings.User, settings.Password, cancellationToken);
                }
            }
            catch (Exception e) when (IsConnectionFailure(e) || e is AuthenticationException or SmtpCommandException or OAuthTokenException)
            {
                throw new MailRelayUnreachableException("SMTP relay unreachable: " + e.Message, e);
            }
        }

        /// <summary>The relay's reply with the recipients taken out, so that no caller stores, logs or shows them.</summary>
        public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            var outcome = await SendUnredactedAsync(message, cancellationToken);
            var recipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes)
                .SelectMany(m => new[] { m.Address, m.GetAddress(idnEncode: true) });
            return outcome with { Reply = ReplyRedaction.Redact(outcome.Reply, recipients) };
        }

        private async Task<SendOutcome> SendUnredactedAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            if (!client.IsConnected)
            {
                try
                {
                    await ConnectAsync(cancellationToken);
                }
                catch (MailRelayUnreachableException e)
                {
                    return new SendOutcome(SendResult.NotAttempted, e.Message);
                }
            }
            var progress = new BodyProgress();
            try
            {
                var sender = envelopeSender?.Invoke(message);
                var reply = sender is null
                    ? await client.SendAsync(message, cancellationToken, progress)
                    : await client.SendAsync(message, sender, message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes), cancellationToken, progress);
                return new SendOutcome(SendResult.Sent, reply);
            }
            catch (SmtpCommandException e)
            {
                var code = (int)e.StatusCode;
                var reply = code + " " + e.Message;
                return code >= 500
                    ? new SendOutcome(e.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? SendResult.RecipientRejected : SendResult.Rejected, reply)
                    : new SendOutcome(SendResult.Temporary, reply);
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                await DisconnectQuietlyAsync();
                return new SendOutcome(progress.BodySent ? SendResult.Unknown : SendResult.Temporary, "connection lost: " + e.Message);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (client.IsConnected)
            {
                try
                {
                    await client.DisconnectAsync(quit: true);
                }
                catch (Exception e) when (IsConnectionFailure(e) || e is SmtpCommandException)
                {
                    // The batch is recorded already; a relay that hangs up first changes nothing.
                }
            }
            client.Dispose();
        }

        private async Task DisconnectQuietlyAsync()
        {
            try
            {
                await client.DisconnectAsync(quit: false);
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                // Already gone.
            }
        }
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException
            or SslHandshakeException;

    /// <summary>Tells whether the whole message went out before the connection failed.</summary>
    private sealed class BodyProgress : ITransferProgress
    {
        public bool BodySent { get; private set; }

        public void Report(long bytesTransferred, long totalSize) => BodySent |= totalSize > 0 && bytesTransferred >= totalSize;

        public void Report(long bytesTransferred) { }
    }
}
