using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace RecoveryStudy.Bounces;

/// <summary>What an address says about the email it bounced from.</summary>
public enum VerpCheck
{
    /// <summary>Not a VERP address of this platform.</summary>
    NotOurs,

    /// <summary>Ours in shape, but its HMAC does not match its message id: forged or mangled.</summary>
    Forged,

    /// <summary>Ours, and the HMAC proves the message id.</summary>
    Valid,
}

/// <summary>
/// Per-message envelope senders (VERP): <c>bounces+{message id}.{hmac}@domain</c> for
/// <c>Bounces:Address</c> = <c>bounces@domain</c>. A bounce goes to the envelope sender, so the
/// address it arrives at names the outbox row without parsing free text; the HMAC (SHA-256 keyed
/// with <c>Bounces:Secret</c>, the first 64 bits as hex) keeps anyone who can send email from
/// marking participants undeliverable by guessing message ids.
/// </summary>
public sealed class VerpAddresses
{
    public const int HmacHexLength = 16;

    private readonly byte[] key;
    private readonly string localPart;
    private readonly string domain;

    public VerpAddresses(string address, string secret)
    {
        var at = address.Trim().LastIndexOf('@');
        localPart = address.Trim()[..at].ToLowerInvariant();
        domain = address.Trim()[(at + 1)..].ToLowerInvariant();
        key = Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>The signer for these options, or null when <c>Bounces:Address</c> is empty.</summary>
    public static VerpAddresses? From(BounceOptions options) =>
        options.SignsEnvelope ? new VerpAddresses(options.Address, options.Secret) : null;

    public string For(long messageId) =>
        string.Create(CultureInfo.InvariantCulture, $"{localPart}+{messageId}.{Hmac(messageId)}@{domain}");

    /// <summary>
    /// The envelope sender for a composed email, found from its Message-ID (<c>rs.{id}@...</c>,
    /// <see cref="Mail.EmailComposer.MessageIdFor"/>); null for an email that is not an outbox row's (a test email).
    /// </summary>
    public MailboxAddress? EnvelopeSenderFor(MimeMessage message)
    {
        var id = message.MessageId;
        if (id is null || !id.StartsWith("rs.", StringComparison.Ordinal))
        {
            return null;
        }
        var at = id.IndexOf('@', StringComparison.Ordinal);
        return at > 3 && long.TryParse(id.AsSpan(3, at - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var messageId)
            ? new MailboxAddress("", For(messageId))
            : null;
    }

    /// <summary>Reads an address (bare, or in angle brackets): whether it is one of ours and, when valid, the message id it names.</summary>
    public VerpCheck Check(string? address, out long messageId)
    {
        messageId = 0;
        var text = (address ?? "").Trim().Trim('<', '>').Trim().ToLowerInvariant();
        var at = text.LastIndexOf('@');
        var prefix = localPart + "+";
        if (at < 0 || text[(at + 1)..] != domain || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return VerpCheck.NotOurs;
        }
        var tag = text.AsSpan(prefix.Length, at - prefix.Length);
        var dot = tag.IndexOf('.');
        if (dot < 1 || !long.TryParse(tag[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return VerpCheck.Forged;
        }
        var given = tag[(dot + 1)..];
        Span<byte> expected = stackalloc byte[HmacHexLength];
        Encoding.ASCII.GetBytes(Hmac(id), expected);
        Span<byte> actual = stackalloc byte[HmacHexLength];
        if (given.Length != HmacHexLength || Encoding.ASCII.GetBytes(given, actual) != HmacHexLength)
        {
            return VerpCheck.Forged;
        }
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return VerpCheck.Forged;
        }
        messageId = id;
        return VerpCheck.Valid;
    }

    private string Hmac(long messageId)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(messageId.ToString(CultureInfo.InvariantCulture)), hash);
        return Convert.ToHexStringLower(hash[..(HmacHexLength / 2)]);
    }
}
