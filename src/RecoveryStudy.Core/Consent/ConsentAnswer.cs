using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Staff;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Consent;

/// <summary>What the participant sent from the consent page.</summary>
public sealed record ConsentRequest(long InvitationId, bool Agree, IReadOnlySet<string> Ticked, string Language);

/// <summary>Stored, refused for required clauses left unticked (named by code), or not asked (already decided, or no consent).</summary>
public sealed record ConsentOutcome(bool Stored, IReadOnlyList<string> MissingClauses, bool NotAsked);

/// <summary>
/// Records a consent answer in one transaction. An agreement queues the emailed copy in the
/// outbox; a refusal is the opt-out the dispatcher already honours (every queued email
/// cancelled, none sent again). Audit entries hold codes only, never the clause answers.
/// </summary>
public static class ConsentAnswer
{
    public const string ReasonDeclined = "consent_declined";

    public static async Task<ConsentOutcome> RecordAsync(StudyDbContext db, TimeProvider clock, ConsentRequest request, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The invitation's row lock orders two tabs (or a double click) one after the other.
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM invitations WHERE id = {request.InvitationId} FOR UPDATE", ct);
        var check = await ConsentGate.CheckAsync(db, request.InvitationId, ct);
        if (check is not { Need: ConsentNeed.Ask, Consent: { } consent, ProtocolVersionId: int versionId })
        {
            return new ConsentOutcome(false, [], NotAsked: true);
        }
        var missing = consent.Clauses.Where(c => c.Required && !request.Ticked.Contains(c.Code)).Select(c => c.Code).ToList();
        if (request.Agree && missing.Count > 0)
        {
            return new ConsentOutcome(false, missing, NotAsked: false);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        db.ConsentRecords.Add(new ConsentRecord
        {
            ParticipantId = check.ParticipantId, InvitationId = request.InvitationId, ProtocolVersionId = versionId,
            ConsentCode = consent.Code, ConsentVersion = consent.Version,
            Decision = request.Agree ? ConsentDecision.Agreed : ConsentDecision.Declined,
            ClauseAnswers = request.Agree ? consent.Clauses.ToDictionary(c => c.Code, c => request.Ticked.Contains(c.Code)) : [],
            Language = request.Language, GivenAt = now,
        });
        AuditLog.Add(db, clock, Actor.Participant, request.Agree ? "participant.consent_agreed" : "participant.consent_declined",
            check.StudyId, "participant", check.ParticipantId, new { consent = consent.Code, version = consent.Version });
        if (request.Agree)
        {
            db.Messages.Add(new Message
            {
                InvitationId = request.InvitationId, Kind = MessageKind.ConsentCopy, Step = consent.Version,
                DueAt = now, NextAttemptAt = now, CreatedAt = now,
            });
        }
        else
        {
            var participant = await db.Participants.IgnoreQueryFilters().SingleAsync(p => p.Id == check.ParticipantId, ct);
            participant.OptedOutAt ??= now;
            participant.UpdatedAt = now;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Answered meanwhile under another invitation of the same participant.
            return new ConsentOutcome(false, [], NotAsked: true);
        }
        if (!request.Agree)
        {
            await QueuedMessages.CancelForParticipantAsync(db, check.ParticipantId, ReasonDeclined, ct);
        }
        await transaction.CommitAsync(ct);
        return new ConsentOutcome(true, [], NotAsked: false);
    }
}
