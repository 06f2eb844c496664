using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Staff;
using RecoveryStudy.Survey;

namespace RecoveryStudy.DataRights;

/// <summary>
/// A participant's own request for a copy of their data (docs/data-rights.md): the unsubscribe
/// page's button emails a fresh single-use link to the address on file; confirming it there
/// emails the copy (<see cref="ParticipantDataCopyHtml"/> as an attachment) to that same address.
/// The address is never typed, so nobody holding a forwarded link can send the copy elsewhere.
/// Both emails go through the relay directly, like the interviewer reminders, not through the
/// participant outbox: the outbox carries only wave emails and cancels everything for a
/// participant who opted out of email or withdrew, while a request about one's data is answered
/// whatever those choices were. Both emails and the copy's headings are in the participant's
/// language (<see cref="DataCopyWords"/>).
/// </summary>
public static class DataCopyMail
{
    /// <summary>How long the confirmation link works.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(48);

    public enum Outcome
    {
        Sent,

        /// <summary>Unknown, used or expired link, or no address on file: nothing sent.</summary>
        NotFound,

        /// <summary>The relay did not take it; the request may be made again.</summary>
        NotSent,
    }

    /// <summary>Stores a new request and emails its confirmation link to the participant's address.</summary>
    public static async Task<Outcome> RequestAsync(StudyDbContext db, IMailTransport transport, TimeProvider clock, string publicBaseUrl, int participantId, CancellationToken ct)
    {
        var recipient = await RecipientAsync(db, participantId, ct);
        if (recipient is null)
        {
            return Outcome.NotFound;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var (token, hash) = LinkTokens.Create();
        db.Add(new DataCopyRequest { ParticipantId = participantId, TokenHash = hash, CreatedAt = now, ExpiresAt = now + LinkLifetime });
        AuditLog.Add(db, clock, Actor.Participant, "participant.data_copy_request", recipient.StudyId, "participant", participantId);
        await db.SaveChangesAsync(ct);

        var link = $"{publicBaseUrl.TrimEnd('/')}/copy/{token}";
        var words = DataCopyWords.For(recipient.Language);
        using var message = Message(recipient, words.ConfirmSubject(recipient.StudyCode));
        message.Body = new TextPart("plain") { Text = words.ConfirmBody(link, (int)LinkLifetime.TotalHours) };
        return await SendAsync(transport, message, ct);
    }

    /// <summary>True while the link can still be used (its page shows the confirm button).</summary>
    public static async Task<bool> IsLiveAsync(StudyDbContext db, TimeProvider clock, string? token, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return LinkTokens.Hash(token) is { } hash
            && await db.Set<DataCopyRequest>().AnyAsync(r => r.TokenHash == hash && r.UsedAt == null && r.ExpiresAt > now, ct);
    }

    /// <summary>Uses the link (once, before it expires) and emails the copy to the participant's address.</summary>
    public static async Task<Outcome> SendCopyAsync(StudyDbContext db, IMailTransport transport, TimeProvider clock, string? token, CancellationToken ct)
    {
        if (LinkTokens.Hash(token) is not { } hash)
        {
            return Outcome.NotFound;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // Used up in one statement, so two clicks at once send one copy.
        var used = await db.Set<DataCopyRequest>().Where(r => r.TokenHash == hash && r.UsedAt == null && r.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now), ct);
        if (used == 0)
        {
            return Outcome.NotFound;
        }
        var participantId = await db.Set<DataCopyRequest>().Where(r => r.TokenHash == hash).Select(r => r.ParticipantId).SingleAsync(ct);
        var recipient = await RecipientAsync(db, participantId, ct);
        var copy = await ParticipantDataCopy.LoadAsync(db, participantId, now, ct);
        if (recipient is null || copy is null)
        {
            return Outcome.NotFound;
        }
        AuditLog.Add(db, clock, Actor.Participant, "participant.data_copy", recipient.StudyId, "participant", participantId, new { format = "html", via = "email" });
        await db.SaveChangesAsync(ct);

        var words = DataCopyWords.For(recipient.Language);
        using var message = Message(recipient, words.CopySubject(recipient.StudyCode));
        var body = new BodyBuilder { TextBody = words.CopyBody };
        body.Attachments.Add("my-study-data.html", System.Text.Encoding.UTF8.GetBytes(ParticipantDataCopyHtml.Render(copy, recipient.Language)), new ContentType("text", "html") { Charset = "utf-8" });
        message.Body = body.ToMessageBody();
        return await SendAsync(transport, message, ct);
    }

    private static async Task<Outcome> SendAsync(IMailTransport transport, MimeMessage message, CancellationToken ct) =>
        (await SingleEmail.SendAsync(transport, message, ct)).Result == SendResult.Sent ? Outcome.Sent : Outcome.NotSent;

    private sealed record Recipient(int StudyId, string StudyCode, string SenderName, string SenderEmail, string Email, string Language);

    private static Task<Recipient?> RecipientAsync(StudyDbContext db, int participantId, CancellationToken ct) =>
        (from p in db.Participants.IgnoreQueryFilters()
         join c in db.ContactDetails on p.Id equals c.ParticipantId
         join s in db.Studies on p.StudyId equals s.Id
         where p.Id == participantId && p.Status != ParticipantStatus.Erased
         select new Recipient(s.Id, s.Code, s.SenderName, s.SenderEmail, c.Email, p.Language)).SingleOrDefaultAsync(ct);

    private static MimeMessage Message(Recipient r, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(r.SenderName, r.SenderEmail));
        message.To.Add(MailboxAddress.Parse(r.Email));
        message.Subject = subject;
        return message;
    }
}
