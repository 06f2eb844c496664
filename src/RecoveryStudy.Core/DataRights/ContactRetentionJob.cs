using Microsoft.EntityFrameworkCore;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Staff;

namespace RecoveryStudy.DataRights;

/// <summary>
/// The daily `contact-retention` job (docs/data-rights.md): for each study with
/// <c>contact_retention_months</c>, once its last wave has closed, warns the study's researchers
/// <see cref="WarningDays"/> days before the contact details are erased, then erases the contact
/// details of all its participants (answers stay, pseudonymous). Each step is done once per study
/// (marked on the study row), so a second run or node changes nothing. A warning the relay did not
/// take is tried again by the next run; the erasure never waits for it.
/// </summary>
public sealed class ContactRetentionJob(StudyDbContext db, IMailTransport transport, TimeProvider clock)
{
    public const int WarningDays = 14;

    /// <summary>How many studies had their contact details erased by this run.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var erased = 0;
        var studies = await db.Studies.Where(s => s.ContactRetentionMonths != null && s.ContactsErasedAt == null).ToListAsync(ct);
        foreach (var study in studies)
        {
            if (await LastWaveClosedAsync(study.Id, ct) is not { } closed)
            {
                continue;
            }
            var eraseAt = closed.AddMonths(study.ContactRetentionMonths!.Value);
            if (now >= eraseAt)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var count = await db.ContactDetails.Where(c => c.StudyId == study.Id).ExecuteDeleteAsync(ct);
                study.ContactsErasedAt = now;
                AuditLog.Add(db, clock, Actor.System, "study.contacts_erased", study.Id, "study", study.Id, new { contacts = count, months = study.ContactRetentionMonths });
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                erased++;
            }
            else if (now >= eraseAt.AddDays(-WarningDays) && study.RetentionWarnedAt is null && await WarnAsync(study, eraseAt, ct))
            {
                study.RetentionWarnedAt = now;
                AuditLog.Add(db, clock, Actor.System, "study.retention_warning", study.Id, "study", study.Id);
                await db.SaveChangesAsync(ct);
            }
        }
        return erased;
    }

    /// <summary>
    /// When the study's last wave closed: the latest window end of its invitations, once none is
    /// open and no active participant waits for more invitations to be planned; else null.
    /// </summary>
    private async Task<DateTime?> LastWaveClosedAsync(int studyId, CancellationToken ct)
    {
        var invitations = db.Invitations.Where(i => i.StudyId == studyId);
        if (await invitations.AnyAsync(i => InvitationStatus.Open.Contains(i.Status), ct)
            || await db.Participants.IgnoreQueryFilters().AnyAsync(p => p.StudyId == studyId && p.Status == ParticipantStatus.Active
                && (p.ScheduleStale || p.PlanAgainAt != null), ct))
        {
            return null;
        }
        return await invitations.MaxAsync(i => (DateTime?)i.ClosesAt, ct);
    }

    private async Task<bool> WarnAsync(Studies.Study study, DateTime eraseAt, CancellationToken ct)
    {
        var researchers = await (from m in db.StudyMembers
                                 join u in db.StaffUsers on m.StaffUserId equals u.Id
                                 where m.StudyId == study.Id && m.Role == StudyMemberRole.Researcher && !u.Disabled
                                 select u.Email).ToListAsync(ct);
        if (researchers.Count == 0)
        {
            return true;
        }
        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress(study.SenderName, study.SenderEmail));
        message.To.AddRange(researchers.Select(MailboxAddress.Parse));
        message.Subject = $"Study {study.Code}: participants' contact details will be erased on {eraseAt:yyyy-MM-dd}";
        message.Body = new TextPart("plain")
        {
            Text = $"The last wave of study {study.Code} has closed. As the study keeps contact details for {study.ContactRetentionMonths} months "
                + $"after that, the email addresses and names of all its participants will be erased on {eraseAt:yyyy-MM-dd} (UTC). "
                + "Answers stay, by participant code.\n\nIf you still need to reach participants, do so before then.\n",
        };
        return (await SingleEmail.SendAsync(transport, message, ct)).Result == SendResult.Sent;
    }
}
