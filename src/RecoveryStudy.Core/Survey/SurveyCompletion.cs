using RecoveryStudy.Data;

namespace RecoveryStudy.Survey;

/// <summary>The result of submitting: completed, or the first page that still needs an answer, or refused.</summary>
public sealed record CompletionOutcome(bool Completed, int? PageToFinish, string? Refusal);

/// <summary>
/// Submits an invitation: every shown required question must be answered; then the invitation
/// and all its responses are complete and its queued reminders are cancelled, in one transaction.
/// </summary>
public static class SurveyCompletion
{
    public static async Task<CompletionOutcome> CompleteAsync(StudyDbContext db, TimeProvider clock, long invitationId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var state = await SurveySaving.LockAndLoadAsync(db, invitationId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var availability = state?.Availability(now);
        if (availability == SurveyAvailability.Completed)
        {
            // A second press of Submit (or a second tab) finds the work already done.
            return new CompletionOutcome(true, null, null);
        }
        if (state is null || availability != SurveyAvailability.Open)
        {
            return new CompletionOutcome(false, null, "RefusedNotOpen");
        }
        var unfinished = state.ShownPages.FirstOrDefault(p => state.MissingRequired(p).Any());
        if (unfinished is not null)
        {
            return new CompletionOutcome(false, unfinished.Number, null);
        }

        foreach (var version in state.Versions)
        {
            var response = SurveySaving.ResponseFor(db, state, version, now);
            response.Status = ResponseStatus.Complete;
            response.CompletedAt = now;
            response.UpdatedAt = now;
        }
        var invitation = state.Invitation;
        invitation.Status = InvitationStatus.Completed;
        invitation.CompletedAt = now;
        invitation.LastSavedAt = now;
        invitation.FirstOpenedAt ??= now;
        await db.SaveChangesAsync(ct);
        await QueuedMessages.CancelForInvitationAsync(db, invitation.Id, QueuedMessages.ReasonCompleted, MessageKind.All, ct);
        await transaction.CommitAsync(ct);
        return new CompletionOutcome(true, null, null);
    }
}
