using Microsoft.EntityFrameworkCore;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Studies;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Web.Demo;

/// <summary>
/// Writes the past of the demo cohorts straight into the tables, as if the platform had run
/// for them: closed waves answered (or expired), and for some cohorts the open wave's
/// invitations sent on the due date. Runs again safely: a participant's wave that already has
/// an invitation is left alone.
/// </summary>
internal sealed class DemoHistory(StudyDbContext db, DateTime now)
{
    public async Task<int> WriteAsync(Study study, DemoCohort cohort, CancellationToken ct)
    {
        if (cohort.History == DemoHistoryKind.None)
        {
            return 0;
        }
        var zone = DateTimeZoneProviders.Tzdb[study.TimeZone];
        var waves = await db.Waves.Include(w => w.Instruments).Where(w => w.StudyId == study.Id).OrderBy(w => w.Position).ToListAsync(ct);
        var people = await db.Participants.Where(p => p.StudyId == study.Id && p.Cohort!.Code == cohort.Code).OrderBy(p => p.Code).ToListAsync(ct);
        var invited = (await db.Invitations.Where(i => i.StudyId == study.Id).Select(i => new { i.ParticipantId, i.WaveId }).ToListAsync(ct))
            .Select(i => (i.ParticipantId, i.WaveId)).ToHashSet();
        var written = 0;
        foreach (var participant in people)
        {
            participant.EnrolledOn = cohort.Anchors.Values.Min().AddDays(-21);
            var random = new Random(participant.Code.Aggregate(17, (h, c) => h * 31 + c));
            var wellBeing = 2.2 + random.NextDouble() * 1.4;
            foreach (var wave in waves.Where(w => w.Roles.Contains(participant.Role) && cohort.Anchors.ContainsKey(w.Anchor)))
            {
                var due = DueDate(cohort.Anchors[wave.Anchor], wave);
                var opens = Instant(due.AddDays(wave.WindowOpensDays), zone, 0);
                var closes = Instant(due.AddDays(wave.WindowClosesDays), zone, 0);
                var sent = Instant(due, zone, 9);
                wellBeing += 0.35;
                if (sent > now || invited.Contains((participant.Id, wave.Id)) || closes > now && cohort.History != DemoHistoryKind.AnsweredThenSent)
                {
                    continue;
                }
                var invitation = new Invitation
                {
                    StudyId = study.Id, ParticipantId = participant.Id, WaveId = wave.Id, DueDate = due,
                    OpensAt = opens, ClosesAt = closes, PlannedAt = sent.AddDays(-1), SentAt = sent, Status = InvitationStatus.Sent,
                };
                if (closes <= now)
                {
                    await CloseAsync(invitation, wave, participant, wellBeing, random, ct);
                }
                else
                {
                    db.Invitations.Add(invitation);
                    await db.SaveChangesAsync(ct);
                }
                db.Messages.Add(new Message
                {
                    InvitationId = invitation.Id, Kind = MessageKind.Invitation, Step = 0, Status = MessageStatus.Sent,
                    DueAt = sent, NextAttemptAt = sent, Attempts = 1, SentAt = sent, CreatedAt = sent.AddDays(-1),
                });
                written++;
            }
        }
        await db.SaveChangesAsync(ct);
        return written;
    }

    /// <summary>A wave whose window has closed: about three in four answered it, the others let it expire.</summary>
    private async Task CloseAsync(Invitation invitation, Wave wave, Participant participant, double wellBeing, Random random, CancellationToken ct)
    {
        if (random.NextDouble() < 0.75)
        {
            var completed = invitation.SentAt!.Value.AddDays(random.Next(0, 10)).AddHours(random.Next(1, 10));
            invitation.Status = InvitationStatus.Completed;
            invitation.FirstOpenedAt = completed.AddMinutes(-20);
            invitation.LastSavedAt = completed;
            invitation.CompletedAt = completed;
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync(ct);
            foreach (var instrumentId in wave.Instruments.OrderBy(i => i.Position).Select(i => i.InstrumentId))
            {
                var version = await db.InstrumentVersions.Include(v => v.Items).ThenInclude(i => i.Options).AsSplitQuery()
                    .Where(v => v.InstrumentId == instrumentId).OrderByDescending(v => v.Version).FirstAsync(ct);
                db.Responses.Add(DemoAnswers.Respond(version, invitation.Id, participant.Language, wellBeing, random, completed));
            }
        }
        else
        {
            invitation.Status = InvitationStatus.Expired;
            invitation.ExpiredAt = invitation.ClosesAt;
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync(ct);
        }
    }

    private static DateOnly DueDate(DateOnly anchor, Wave wave) => wave.OffsetUnit switch
    {
        OffsetUnit.Months => anchor.AddMonths(wave.OffsetValue),
        OffsetUnit.Weeks => anchor.AddDays(7 * wave.OffsetValue),
        _ => anchor.AddDays(wave.OffsetValue),
    };

    private static DateTime Instant(DateOnly date, DateTimeZone zone, int hour) =>
        LocalDate.FromDateOnly(date).At(new LocalTime(hour, 0)).InZoneLeniently(zone).ToDateTimeUtc();
}
