using System.Text;
using MimeKit;

namespace RecoveryStudy.Tests.Bounces;

/// <summary>
/// Bounce mailbox messages as real servers write them: a Postfix delivery status notification
/// (RFC 3464), an abuse feedback report (ARF, RFC 5965, after its section 7 example), an Exchange
/// out-of-office reply (RFC 3834), and a free-text bounce no parser can map.
/// </summary>
public static class BounceSamples
{
    public static MimeMessage Dsn(string verp, string recipient, string originalMessageId, string action = "failed", string status = "5.1.1",
        string diagnostic = "smtp; 550 5.1.1 <{0}>: Recipient address rejected: User unknown in virtual mailbox table") =>
        Load($"""
            Return-Path: <>
            Delivered-To: {verp}
            X-Original-To: {verp}
            Received: by relay.example.net (Postfix) id 4F1B2C3D4E; Mon,  1 Mar 2027 08:00:05 +0000 (UTC)
            Date: Mon,  1 Mar 2027 08:00:05 +0000 (UTC)
            From: MAILER-DAEMON@relay.example.net (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: {verp}
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status;
            	boundary="4F1B2C3D4E.1614585605/relay.example.net"
            Message-Id: <20270301080005.{Guid.NewGuid():N}@relay.example.net>

            This is a MIME-encapsulated message.

            --4F1B2C3D4E.1614585605/relay.example.net
            Content-Description: Notification
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host relay.example.net.

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients. It's attached below.

            <{recipient}>: host mx.example.org[192.0.2.25] said: 550 5.1.1
                <{recipient}>: Recipient address rejected: User unknown

            --4F1B2C3D4E.1614585605/relay.example.net
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; relay.example.net
            X-Postfix-Queue-ID: 4F1B2C3D4E
            X-Postfix-Sender: rfc822; {verp}
            Arrival-Date: Mon,  1 Mar 2027 08:00:01 +0000 (UTC)

            Final-Recipient: rfc822; {recipient}
            Original-Recipient: rfc822;{recipient}
            Action: {action}
            Status: {status}
            Remote-MTA: dns; mx.example.org
            Diagnostic-Code: {string.Format(System.Globalization.CultureInfo.InvariantCulture, diagnostic, recipient)}

            --4F1B2C3D4E.1614585605/relay.example.net
            Content-Description: Undelivered Message Headers
            Content-Type: text/rfc822-headers

            Return-Path: <{verp}>
            From: Recovery study <study@example.org>
            To: {recipient}
            Subject: Follow-up post: your questionnaire
            Message-ID: <{originalMessageId}>
            Auto-Submitted: auto-generated

            --4F1B2C3D4E.1614585605/relay.example.net--
            """);

    public static MimeMessage Arf(string verp, string recipient, string originalMessageId) =>
        Load($"""
            From: <abusedesk@isp.example.com>
            Date: Thu, 4 Mar 2027 14:00:00 +0000
            Subject: FW: Follow-up post: your questionnaire
            To: <fbl@mail.example.org>
            MIME-Version: 1.0
            Message-ID: <arf.{Guid.NewGuid():N}@isp.example.com>
            Content-Type: multipart/report; report-type=feedback-report;
                 boundary="part1_13d.2e68ed54_boundary"

            --part1_13d.2e68ed54_boundary
            Content-Type: text/plain; charset="US-ASCII"
            Content-Transfer-Encoding: 7bit

            This is an email abuse report for an email message received from IP
            192.0.2.1 on Mon, 1 Mar 2027 08:00:02 +0000. For more information
            about this format please see http://www.mipassoc.org/arf/.

            --part1_13d.2e68ed54_boundary
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: SomeGenerator/1.0
            Version: 1
            Original-Mail-From: <{verp}>
            Original-Rcpt-To: <{recipient}>
            Arrival-Date: Mon, 1 Mar 2027 08:00:02 +0000
            Reporting-MTA: dns; mail.isp.example.com
            Source-IP: 192.0.2.1
            Authentication-Results: mail.isp.example.com; spf=pass smtp.mail={verp}
            Reported-Domain: example.org

            --part1_13d.2e68ed54_boundary
            Content-Type: message/rfc822
            Content-Disposition: inline

            From: Recovery study <study@example.org>
            Received: from relay.example.net (192.0.2.1) by mail.isp.example.com; Mon, 1 Mar 2027 08:00:02 +0000
            To: <{recipient}>
            Subject: Follow-up post: your questionnaire
            MIME-Version: 1.0
            Content-type: text/plain
            Message-ID: <{originalMessageId}>
            Date: Mon, 1 Mar 2027 08:00:00 +0000

            Dear participant, please answer the questionnaire.

            --part1_13d.2e68ed54_boundary--
            """);

    public static MimeMessage OutOfOffice(string verp, string from) =>
        Load($"""
            Return-Path: <>
            Delivered-To: {verp}
            From: Anna Nowak <{from}>
            To: <{verp}>
            Subject: Automatic reply: Follow-up post: your questionnaire
            Date: Mon, 1 Mar 2027 08:00:09 +0000
            Message-ID: <ooo.{Guid.NewGuid():N}@example.org>
            Auto-Submitted: auto-replied
            X-Auto-Response-Suppress: All
            MIME-Version: 1.0
            Content-Type: text/plain; charset="utf-8"

            I am out of the office until 15 March with limited access to email.
            """);

    /// <summary>A relay's own free-text bounce without a report part, sent to the plain bounce address.</summary>
    public static MimeMessage FreeText(string to) =>
        Load($"""
            From: postmaster@old-relay.example.net
            To: {to}
            Subject: failure notice
            Date: Mon, 1 Mar 2027 08:00:09 +0000
            Message-ID: <ft.{Guid.NewGuid():N}@old-relay.example.net>

            Hi. This is the qmail-send program at old-relay.example.net.
            I'm afraid I wasn't able to deliver your message to the following addresses.
            """);

    private static MimeMessage Load(string text)
    {
        // Raw string literals end lines with \n on this build; the wire form is CRLF.
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n") + "\r\n"));
        return MimeMessage.Load(stream);
    }
}
