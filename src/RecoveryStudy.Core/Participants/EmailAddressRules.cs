using System.Globalization;
using MimeKit;

namespace RecoveryStudy.Participants;

/// <summary>
/// Which participant addresses are accepted, checked with the parser that sends (MimeKit) on the
/// very text that will be sent. An address is trimmed and lower-cased (domains ignore case and,
/// in practice, so do mailboxes; duplicates are found whatever the case), then accepted only when
/// MimeKit reads it as exactly that address: a comment (<c>paren(x)@example.org</c> goes to
/// <c>paren@example.org</c>), a display name, angle brackets, a list, a quoted or non-ASCII
/// mailbox name, an IP-literal domain or a domain without a dot are refused. Internationalised
/// domains are accepted in their standard Unicode form or as punycode. Messages never quote the address.
/// </summary>
public static class EmailAddressRules
{
    /// <summary>The longest address an SMTP path carries (RFC 5321: 256 with the angle brackets).</summary>
    public const int MaxLength = 254;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>The form an address is stored and sent in: trimmed, lower-case.</summary>
    public static string Normalize(string typed) => typed.Trim().ToLowerInvariant();

    /// <summary>Why <paramref name="address"/> (already normalized) cannot be sent to as it stands, or null when it can.</summary>
    public static string? Problem(string address)
    {
        if (address.Length == 0)
        {
            return "is empty";
        }
        if (!address.Contains('@'))
        {
            return "is not a valid email address";
        }
        if (address.Length > MaxLength)
        {
            return $"is longer than {MaxLength} characters";
        }
        if (address.IndexOfAny(['<', '>']) >= 0)
        {
            return "must be the address alone, without a name or angle brackets";
        }
        if (address.IndexOfAny([',', ';']) >= 0)
        {
            return "holds more than one address; give one address per participant";
        }
        if (address.IndexOfAny(['(', ')']) >= 0)
        {
            return "holds a comment in parentheses, which mail software drops: the email would go to another mailbox";
        }
        if (address.IndexOfAny(['"', '\\']) >= 0)
        {
            return "has a quoted mailbox name, which is not accepted";
        }
        if (address.IndexOfAny(['[', ']']) >= 0)
        {
            return "has an IP address instead of a domain name";
        }
        if (address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "holds a space or a control character; give the address alone";
        }
        MailboxAddress parsed;
        try
        {
            // Exactly as the composer builds the recipient (EmailComposer).
            parsed = new MailboxAddress("", address);
        }
        catch (ParseException)
        {
            return "is not a valid email address";
        }
        if (parsed.Route.Count > 0 || parsed.Address != address && parsed.GetAddress(idnEncode: true) != address)
        {
            return "is read by the mail software as a different address; give the plain address";
        }
        if (!parsed.LocalPart.All(char.IsAscii))
        {
            return "has non-ASCII letters before the @, which many mail servers cannot deliver";
        }
        return DomainProblem(parsed.Domain);
    }

    /// <summary>Normalizes <paramref name="typed"/>; the problem, if any, of the normalized form.</summary>
    public static string? Check(string typed, out string address)
    {
        address = Normalize(typed);
        return Problem(address);
    }

    private static string? DomainProblem(string domain)
    {
        if (!domain.Contains('.') || domain.EndsWith('.'))
        {
            return "needs a full domain after the @, such as example.org";
        }
        if (domain[(domain.LastIndexOf('.') + 1)..].All(char.IsAsciiDigit))
        {
            return "has an IP address instead of a domain name";
        }
        try
        {
            // A domain that is not in its standard form (full-width letters, other look-alikes that
            // IDNA maps to ASCII) would reach another name than the one shown: refused.
            // Case aside: an address stored before these rules may have capitals, and domains ignore them.
            return string.Equals(Idn.GetUnicode(Idn.GetAscii(domain)), domain, StringComparison.OrdinalIgnoreCase)
                ? null : "has a domain that is not written in its standard form";
        }
        catch (ArgumentException)
        {
            return "has a domain that is not a valid host name";
        }
    }
}
