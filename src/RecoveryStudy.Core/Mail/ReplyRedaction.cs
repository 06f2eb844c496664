using System.Text.RegularExpressions;

namespace RecoveryStudy.Mail;

/// <summary>
/// Takes addresses out of relay replies and error texts before they are stored, logged or shown
/// ("550 5.1.1 &lt;anna@example.org&gt;: no such user"). The transport knows the recipient and
/// removes it in whatever case the relay quotes it, bare or in angle brackets, with its domain in
/// Unicode or punycode, and its mailbox name standing alone (three characters or more: shorter
/// ones say little and would blank ordinary words); then anything else shaped like an address,
/// IP-literal domains and apostrophes included, goes too. Over-redacting costs a word of diagnosis.
/// </summary>
public static partial class ReplyRedaction
{
    public const string Placeholder = "[address]";
    public const int MaxLength = 1000;

    /// <summary>Removes the given recipient addresses (every form of them) and anything shaped like an address.</summary>
    public static string Redact(string text, IEnumerable<string> recipients)
    {
        foreach (var address in recipients.Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(a => a.Length))
        {
            text = text.Replace(address, Placeholder, StringComparison.OrdinalIgnoreCase);
            var local = address[..Math.Max(0, address.LastIndexOf('@'))];
            if (local.Length >= 3)
            {
                text = Regex.Replace(text, MailboxBoundaryBefore + Regex.Escape(local) + MailboxBoundaryAfter, Placeholder,
                    RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
        }
        return Redact(text);
    }

    /// <summary>Removes anything shaped like an address; at most <see cref="MaxLength"/> characters are kept.</summary>
    public static string Redact(string text)
    {
        var redacted = Address().Replace(text, Placeholder);
        return redacted.Length > MaxLength ? redacted[..MaxLength] : redacted;
    }

    /// <summary>A mailbox name stands alone when no character that may belong to one touches it.</summary>
    private const string MailboxBoundaryBefore = @"(?<![\w.!#$%&'*+/=?^`{|}~-])";
    private const string MailboxBoundaryAfter = @"(?![\w.!#$%&'*+/=?^`{|}~-])";

    [GeneratedRegex(@"[^\s<>""()\[\],;:]+@(?:\[[^\]\s]*\]|[^\s<>""'()\[\],;:]+)")]
    private static partial Regex Address();
}
