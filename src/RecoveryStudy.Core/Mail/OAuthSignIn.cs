using MailKit;
using MailKit.Security;

namespace RecoveryStudy.Mail;

/// <summary>XOAUTH2 sign-in of an SMTP or IMAP client; a token the server refuses is dropped, so the next try fetches another.</summary>
public static class OAuthSignIn
{
    public static async Task AuthenticateAsync(IMailService client, OAuthTokenProvider tokens, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken);
        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(tokens.User, token), cancellationToken);
        }
        catch (AuthenticationException)
        {
            tokens.Refused(token);
            throw;
        }
    }
}
