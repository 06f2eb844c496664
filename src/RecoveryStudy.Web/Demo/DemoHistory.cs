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
/// for them: every wave whose due date has passed has its invitation, reminders and last chance
/// (<see cref="DemoEmailHistory"/>), completions after each of them with a falling yield, a few
/// opt-outs and bounced addresses (undeliverable); closed waves end completed or expired, and for
/// some cohorts the open wave goes on under the scheduler. Runs again safely: a participant's wave
/// that already has an invitation is left alone.
/// </summary>
internal sealed class DemoHistory(StudyDbContext db, DateTime now)
{
    /// <summary>Chance that a participant's address bounces at their first invitation.</summary>
    private const double Bounce = 0.04;

    /// <summary>The relay's answer a bounce records (as a real relay words it; never an address).</summary>
    public const string BounceReply = "550 5.1.1 Mailbox unavailable";

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
            var bounces = random.NextDouble() < Bounce;
            // Interview waves are tasks, not emails: DemoInterviews writes their past.
            foreach (var wave in waves.Where(w => w.Kind == WaveKind.Questionnaire && w.Roles.Contains(participant.Role) && cohort.Anchors.ContainsKey(w.Anchor)))
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
                    OpensAt = opens, ClosesAt = closes, PlannedAt = sent.AddDays(-1), Status = InvitationStatus.Sent,
                };
                if (participant.OptedOutAt is not null || participant.UndeliverableAt is not null)
                {
                    // No email any more: the invitation was planned without email and expired (an open one is left to the scheduler).
                    if (closes <= now)
                    {
                        invitation.Status = InvitationStatus.Expired;
                        invitation.ExpiredAt = closes;
                        db.Invitations.Add(invitation);
                        written++;
                    }
                    continue;
                }
                var outcome = DemoEmailHistory.Play(DemoEmailHistory.Steps(wave, due, closes, zone), closes, now, bounces, random);
                bounces = false;
                invitation.SentAt = sent;
                await RecordAsync(invitation, outcome, wave, participant, wellBeing, random, ct);
                written++;
            }
        }
        await db.SaveChangesAsync(ct);
        return written;
    }

    /// <summary>The invitation as the outcome left it, its emails, and the answers of a completion.</summary>
    private async Task RecordAsync(Invitation invitation, DemoWaveOutcome outcome, Wave wave, Participant participant, double wellBeing,
        Random random, CancellationToken ct)
    {
        if (outcome.Bounced)
        {
            invitation.Status = InvitationStatus.Undeliverable;
            participant.UndeliverableAt = invitation.SentAt!.Value.AddMinutes(1);
        }
        else if (outcome.CompletedAt is DateTime completed)
        {
            invitation.Status = InvitationStatus.Completed;
            invitation.FirstOpenedAt = completed.AddMinutes(-20);
            invitation.LastSavedAt = completed;
            invitation.CompletedAt = completed;
        }
        else if (invitation.ClosesAt <= now)
        {
            invitation.Status = InvitationStatus.Expired;
            invitation.ExpiredAt = invitation.ClosesAt;
        }
        if (outcome.OptedOutAt is DateTime optedOut)
        {
            participant.OptedOutAt = optedOut;
            participant.UpdatedAt = optedOut;
        }
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(ct);
        foreach (var email in outcome.Sent)
        {
            db.Messages.Add(outcome.Bounced
                ? new Message
                {
                    InvitationId = invitation.Id, Kind = email.Kind, Step = email.Step, Status = MessageStatus.Failed, DueAt = email.At,
                    NextAttemptAt = email.At, Attempts = 1, LastError = BounceReply, FailedAt = email.At.AddMinutes(1), CreatedAt = email.At.AddDays(-1),
                }
                : new Message
                {
                    InvitationId = invitation.Id, Kind = email.Kind, Step = email.Step, Status = MessageStatus.Sent, DueAt = email.At,
                    NextAttemptAt = email.At, Attempts = 1, SentAt = email.At, CreatedAt = email.At.AddDays(-1),
                });
        }
        if (outcome.CompletedAt is DateTime at)
        {
            foreach (var instrumentId in wave.Instruments.OrderBy(i => i.Position).Select(i => i.InstrumentId))
            {
                var version = await db.InstrumentVersions.Include(v => v.Items).ThenInclude(i => i.Options).AsSplitQuery()
                    .Where(v => v.InstrumentId == instrumentId).OrderByDescending(v => v.Version).FirstAsync(ct);
                db.Responses.Add(DemoAnswers.Respond(version, invitation.Id, participant.Language, wellBeing, random, at));
            }
        }
    }

    public static DateOnly DueDate(DateOnly anchor, Wave wave) => wave.OffsetUnit switch
    {
        OffsetUnit.Months => anchor.AddMonths(wave.OffsetValue),
        OffsetUnit.Weeks => anchor.AddDays(7 * wave.OffsetValue),
        _ => anchor.AddDays(wave.OffsetValue),
    };

    private static DateTime Instant(DateOnly date, DateTimeZone zone, int hour) =>
        LocalDate.FromDateOnly(date).At(new LocalTime(hour, 0)).InZoneLeniently(zone).ToDateTimeUtc();
}
