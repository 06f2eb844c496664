using MimeKit;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Bounces;

/// <summary>
/// Bounce handling (section "Bounces"; every key is listed in README.md): the envelope sender every
/// email carries (VERP, <see cref="VerpAddresses"/>) and the mailbox the `bounces` job reads.
/// </summary>
public sealed class BounceOptions
{
    public const string Section = "Bounces";

    /// <summary>The bounce mailbox, e.g. bounces@study.example.org; empty: emails keep the relay's default envelope sender.</summary>
    public string Address { get; set; } = "";

    /// <summary>Key of the HMAC in each envelope sender, so a bounce naming a message proves it came back from it.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Soft bounces (4.x.x) on a participant's most recent emails, in a row, after which the address counts as undeliverable.</summary>
    public int SoftBouncesInARow { get; set; } = 3;

    /// <summary>Schedule of the `bounces` job (cron, UTC).</summary>
    public string Cron { get; set; } = "*/5 * * * *";

    /// <summary>Most messages one run reads from the mailbox; the rest wait for the next run.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// After reading, a run waits this long with IMAP IDLE (when the server offers it) and reads each
    /// message as it arrives; zero, or a server without IDLE: the run ends and the next one polls.
    /// </summary>
    public TimeSpan IdleFor { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>RFC 9051 asks clients to renew IDLE within 29 minutes; a run is kept well below.</summary>
    public static readonly TimeSpan MaxIdleFor = TimeSpan.FromMinutes(25);

    public ImapSettings Imap { get; set; } = new();

    public const int MinSecretLength = 32;

    /// <summary>True when emails carry a VERP envelope sender.</summary>
    public bool SignsEnvelope => !string.IsNullOrWhiteSpace(Address);

    /// <summary>True when the `bounces` job has a mailbox to read.</summary>
    public bool ReadsMailbox => SignsEnvelope && !string.IsNullOrWhiteSpace(Imap.Host);

    /// <summary>Problems that stop the host from starting; empty when the options are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (!SignsEnvelope)
        {
            if (!string.IsNullOrWhiteSpace(Imap.Host))
            {
                yield return "Bounces:Imap:Host is set but Bounces:Address is empty: bounces could not be matched to their emails";
            }
            yield break;
        }
        if (!MailboxAddress.TryParse(Address, out var parsed) || parsed.Address != Address.Trim() || parsed.LocalPart.Contains('+', StringComparison.Ordinal)
            || !parsed.Domain.Contains('.', StringComparison.Ordinal))
        {
            yield return "Bounces:Address must be one plain address without '+' in its local part, e.g. bounces@study.example.org";
        }
        if (Secret.Length < MinSecretLength)
        {
            yield return $"Bounces:Secret must be at least {MinSecretLength} characters (random) when Bounces:Address is set";
        }
        if (SoftBouncesInARow < 1 || BatchSize < 1)
        {
            yield return "Bounces:SoftBouncesInARow and Bounces:BatchSize must be 1 or more";
        }
        if (IdleFor < TimeSpan.Zero || IdleFor > MaxIdleFor)
        {
            yield return "Bounces:IdleFor must be between 00:00:00 (no IDLE) and 00:25:00";
        }
        foreach (var problem in Imap.OAuth.Problems("Bounces:Imap", Imap.User, Imap.Password))
        {
            yield return problem;
        }
        if (!string.IsNullOrWhiteSpace(Imap.Host) && !Enum.TryParse<SmtpSecurity>(Imap.Security, ignoreCase: true, out _))
        {
            yield return "Bounces:Imap:Security must be None, StartTls, StartTlsWhenAvailable or Tls";
        }
        if (!string.IsNullOrWhiteSpace(Imap.Host) && (string.IsNullOrWhiteSpace(Imap.Inbox) || string.IsNullOrWhiteSpace(Imap.ProcessedFolder)
            || string.IsNullOrWhiteSpace(Imap.UnparsedFolder)))
        {
            yield return "Bounces:Imap:Inbox, Bounces:Imap:ProcessedFolder and Bounces:Imap:UnparsedFolder must not be empty";
        }
    }
}

/// <summary>The bounce mailbox's IMAP server; certificates are always validated.</summary>
public sealed class ImapSettings
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 993;

    /// <summary>None, StartTls (required), StartTlsWhenAvailable, or Tls (TLS from the first byte, port 993).</summary>
    public string Security { get; set; } = nameof(SmtpSecurity.Tls);
    public string User { get; set; } = "";
    public string Password { get; set; } = "";
    public string Inbox { get; set; } = "INBOX";
    public string ProcessedFolder { get; set; } = "Processed";
    public string UnparsedFolder { get; set; } = "Unparsed";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Sign-in with an OAuth2 token (XOAUTH2) as <see cref="User"/> instead of a password; unset: password.</summary>
    public OAuthSettings OAuth { get; set; } = new();
}

/// <summary>The bounce mailbox's token cache, one per process; null provider: password sign-in.</summary>
public sealed record BounceMailboxTokens(OAuthTokenProvider? Provider);
