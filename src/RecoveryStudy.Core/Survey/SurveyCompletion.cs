using RecoveryStudy.Data;

namespace RecoveryStudy.Survey;

/// <summary>The result of submitting: completed, or the first page that still needs an answer, or refused.</summary>
public sealed record CompletionOutcome(bool Completed, int? PageToFinish, string? Refusal);

/// <summary>
/// Submits an invitation: every shown required question must be answered; then the invitation
/// and all its responses are complete and its queued reminders are cancelled, in one transaction.
/// (A page posted with Submit completes in its own save, <see cref="SurveySaving.SaveAsync"/>.)
/// </summary>
public static class SurveyCompletion
{
    public static async Task<CompletionOutcome> CompleteAsync(StudyDbContext db, TimeProvider clock, long invitationId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var state = await SurveyState.LoadAsync(db, invitationId, liveTokenHash: null, forUpdate: true, ct);
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
        var writes = new SurveyWrites(invitationId, now);
        var outcome = SurveySaving.Complete(state, writes);
        await writes.ExecuteAsync(db, ct);
        await transaction.CommitAsync(ct);
        return outcome;
    }
}
