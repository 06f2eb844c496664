using MimeKit;

namespace RecoveryStudy.Bounces;

/// <summary>What one message of the bounce mailbox says: its kind, the VERP address it names, and the status code.</summary>
public sealed record BounceReading(string Kind, long? MessageId, string? Status, string? Detail);

/// <summary>
/// Reads a message from the bounce mailbox. A delivery status notification (RFC 3464,
/// multipart/report; report-type=delivery-status) is hard when a recipient failed with 5.x.x,
/// soft with 4.x.x or "delayed"; an abuse report (ARF, RFC 5965, report-type=feedback-report)
/// is a complaint; anything marked automatic (RFC 3834 Auto-Submitted, X-Autoreply, out-of-office
/// subjects) is an auto-reply. Reports are looked at before the auto-reply marks, since a DSN is
/// itself auto-submitted. Which email a report is about comes only from a VERP address it was
/// sent to (Delivered-To, X-Original-To, To ...) or, in an ARF report, Original-Mail-From and the
/// enclosed email's Return-Path; its HMAC must match, or the report is forged.
/// </summary>
public sealed class BounceParser(VerpAddresses verp)
{
    private static readonly string[] RecipientHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To", "Cc"];

    private static readonly string[] OutOfOfficeSubjects =
        ["auto:", "automatic reply", "autoreply", "auto-reply", "out of office", "out of the office", "abwesenheit", "automatische antwort", "odpowiedź automatyczna", "autosvar", "fraværende"];

    public BounceReading Read(MimeMessage message)
    {
        var report = Find<MultipartReport>(message.Body);
        if (report is not null && string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase)
            && Find<MessageDeliveryStatus>(report) is { } status)
        {
            return ReadDeliveryStatus(message, report, status);
        }
        if (report is not null && string.Equals(report.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase)
            && Find<MessageFeedbackReport>(report) is { } feedback)
        {
            return ReadComplaint(message, report, feedback);
        }
        if (IsAutoReply(message))
        {
            return new BounceReading(BounceKind.AutoReply, null, null, null);
        }
        return new BounceReading(BounceKind.Unparsed, null, null, null);
    }

    private BounceReading ReadDeliveryStatus(MimeMessage message, MultipartReport report, MessageDeliveryStatus status)
    {
        // The first group holds per-message fields; each one after it is a recipient.
        var recipients = status.StatusGroups.Skip(1).ToList();
        if (recipients.Count == 0)
        {
            return new BounceReading(BounceKind.Unparsed, null, null, null);
        }
        var read = recipients.Select(r => (Action: (r["Action"] ?? "").Trim().ToLowerInvariant(), Status: StatusCode(r["Status"]), Diagnostic: r["Diagnostic-Code"]))
            .ToList();
        var hard = read.FirstOrDefault(r => r.Action == "failed" && r.Status?.StartsWith('5') == true);
        var soft = read.FirstOrDefault(r => (r.Action is "failed" or "delayed") && r.Status?.StartsWith('4') != false);
        var (kind, chosen) = hard.Action is not null ? (BounceKind.Hard, hard)
            : soft.Action is not null ? (BounceKind.Soft, soft)
            : (BounceKind.Delivered, read[0]);
        var returned = Find<MessagePart>(report)?.Message;
        return Named(kind, Candidates(message, returned), chosen.Status, chosen.Diagnostic);
    }

    private BounceReading ReadComplaint(MimeMessage message, MultipartReport report, MessageFeedbackReport feedback)
    {
        var returned = Find<MessagePart>(report)?.Message;
        var candidates = new[] { feedback.Fields["Original-Mail-From"] }.Concat(Candidates(message, returned));
        return Named(BounceKind.Complaint, candidates, null, feedback.Fields["Feedback-Type"]);
    }

    /// <summary>The report's kind when one of the candidates is a valid VERP address; forged when only bad ones are; unparsed when none is ours.</summary>
    private BounceReading Named(string kind, IEnumerable<string?> candidates, string? status, string? detail)
    {
        var forged = false;
        foreach (var candidate in candidates)
        {
            switch (verp.Check(candidate, out var messageId))
            {
                case VerpCheck.Valid:
                    return new BounceReading(kind, messageId, status, Shorten(detail));
                case VerpCheck.Forged:
                    forged = true;
                    break;
            }
        }
        return new BounceReading(forged ? BounceKind.Forged : BounceKind.Unparsed, null, status, Shorten(detail));
    }

    /// <summary>Addresses the report was delivered to, and the envelope sender of the email it returns.</summary>
    private static IEnumerable<string?> Candidates(MimeMessage message, MimeMessage? returned)
    {
        foreach (var name in RecipientHeaders)
        {
            foreach (var header in message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var address in Addresses(header.Value))
                {
                    yield return address;
                }
            }
        }
        if (returned?.Headers[HeaderId.ReturnPath] is { } returnPath)
        {
            yield return returnPath;
        }
    }

    private static IEnumerable<string> Addresses(string value) =>
        InternetAddressList.TryParse(value, out var list) ? list.Mailboxes.Select(m => m.Address) : [value];

    private static bool IsAutoReply(MimeMessage message)
    {
        var autoSubmitted = message.Headers["Auto-Submitted"];
        if (autoSubmitted is not null && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond") || message.Headers.Contains("X-Auto-Response-Suppress")
            && message.Headers["X-Auto-Response-Suppress"]!.Contains("All", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if ((message.Headers["Precedence"] ?? "").Trim().ToLowerInvariant() is "auto_reply" or "bulk" or "junk")
        {
            return true;
        }
        var subject = (message.Subject ?? "").Trim().ToLowerInvariant();
        return OutOfOfficeSubjects.Any(s => subject.StartsWith(s, StringComparison.Ordinal));
    }

    /// <summary>The RFC 3463 code (class.subject.detail) at the start of a Status field, or null.</summary>
    private static string? StatusCode(string? field)
    {
        var code = (field ?? "").Trim().Split(' ', '\t', '(')[0];
        var parts = code.Split('.');
        return parts.Length == 3 && parts[0] is "2" or "4" or "5" && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)) ? code : null;
    }

    private static string? Shorten(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var redacted = Mail.ReplyRedaction.Redact(string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        return redacted.Length <= 500 ? redacted : redacted[..500];
    }

    private static T? Find<T>(MimeEntity? entity)
        where T : MimeEntity =>
        entity switch
        {
            T found => found,
            Multipart multipart => multipart.Select(Find<T>).FirstOrDefault(f => f is not null),
            _ => null,
        };
}
