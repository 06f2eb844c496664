using MimeKit;

namespace RecoveryStudy.Mail;

/// <summary>
/// One email sent straight to the relay on a connection of its own, outside the outbox: staff
/// test emails, a participant's data copy, retention warnings. An unreachable relay is an outcome
/// (not attempted, with the reason), never an exception for the caller.
/// </summary>
public static class SingleEmail
{
    public static async Task<SendOutcome> SendAsync(IMailTransport transport, MimeMessage message, CancellationToken ct)
    {
        try
        {
            await using var session = await transport.OpenAsync(ct);
            return await session.SendAsync(message, ct);
        }
        catch (MailRelayUnreachableException e)
        {
            return new SendOutcome(SendResult.NotAttempted, e.Message);
        }
    }
}
