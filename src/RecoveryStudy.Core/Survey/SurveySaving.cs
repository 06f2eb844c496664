using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;

namespace RecoveryStudy.Survey;

/// <summary>
/// The result of posting a page: saved, or field problems to show beside the fields, or a
/// refusal of the whole post (tampered form, page not available). Nothing is stored unless saved.
/// </summary>
public sealed record PageOutcome(IReadOnlyDictionary<string, FieldProblem> Problems, string? Refusal)
{
    public bool Saved => Problems.Count == 0 && Refusal is null;

    public static readonly PageOutcome Done = new(new Dictionary<string, FieldProblem>(), null);

    public static PageOutcome Refused(string key) => new(new Dictionary<string, FieldProblem>(), key);
}

/// <summary>A saved (or refused) page, the state after it, and, when the post asked to finish, the completion.</summary>
public sealed record PageSave(PageOutcome Outcome, SurveyState? State, CompletionOutcome? Completion);

/// <summary>
/// Saves one page of answers, in one transaction that holds the invitation's row lock, in three
/// round trips: the state read with the lock, every write in one batch, the commit. When the
/// post asks to finish and nothing required is left open, the completion is part of the same batch.
/// </summary>
public static class SurveySaving
{
    /// <param name="posted">The page's fields by item code, without the framework's own fields.</param>
    /// <param name="requireAnswers">False when the participant goes back: keep what is valid, ask for nothing.</param>
    public static async Task<PageOutcome> SavePageAsync(StudyDbContext db, TimeProvider clock, long invitationId, int pageNumber,
        IReadOnlyDictionary<string, string[]> posted, bool requireAnswers, CancellationToken ct) =>
        (await SaveAsync(db, clock, new PageRequest(invitationId, null, pageNumber, posted, requireAnswers, Finish.Never), ct)).Outcome;

    /// <summary>When a saved page also submits the survey.</summary>
    public enum Finish
    {
        Never,
        /// <summary>Submit pressed, or Next on the last shown page.</summary>
        WhenLast,
        Always,
    }

    /// <param name="LiveTokenHash">The session's link; a revoked link reads as no invitation.</param>
    public sealed record PageRequest(long InvitationId, byte[]? LiveTokenHash, int PageNumber, IReadOnlyDictionary<string, string[]> Posted, bool RequireAnswers, Finish Finish);

    public static async Task<PageSave> SaveAsync(StudyDbContext db, TimeProvider clock, PageRequest request, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var state = await SurveyState.LoadAsync(db, request.InvitationId, request.LiveTokenHash, forUpdate: true, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        // Without an agreement to the study's consent nothing is saved (the page shows the consent first).
        if (state is null || state.Availability(now) != SurveyAvailability.Open || await Consent.ConsentGate.BlocksAsync(db, state, ct))
        {
            return new PageSave(PageOutcome.Refused("RefusedNotOpen"), state, null);
        }
        var page = state.Pages.FirstOrDefault(p => p.Number == request.PageNumber);
        if (page is null || !state.IsShown(page))
        {
            return new PageSave(PageOutcome.Refused("RefusedUnknownField"), state, null);
        }
        var visible = page.Questions.Where(state.IsVisible).ToArray();
        // A field the page did not draw (an unknown item, or one hidden by its condition) means
        // the form was not ours: refuse all of it rather than store part.
        if (request.Posted.Keys.Any(key => visible.All(q => q.Code != key)))
        {
            return new PageSave(PageOutcome.Refused("RefusedUnknownField"), state, null);
        }

        var problems = new Dictionary<string, FieldProblem>();
        var checks = new List<(Item Item, Answer? Value)>();
        foreach (var item in visible)
        {
            var check = AnswerRules.Check(item, request.Posted.GetValueOrDefault(item.Code) ?? [], request.RequireAnswers);
            if (check.Problem is not null)
            {
                problems[item.Code] = check.Problem;
            }
            checks.Add((item, check.Value));
        }
        if (problems.Count > 0)
        {
            return new PageSave(new PageOutcome(problems, null), state, null);
        }

        var writes = new SurveyWrites(state.Invitation.Id, now);
        writes.UpsertResponse(page.Version.Id);
        var removed = new List<int>();
        foreach (var (item, value) in checks)
        {
            state.Answers.TryGetValue(item.Id, out var existing);
            if (value is null)
            {
                if (existing is not null)
                {
                    removed.Add(item.Id);
                    state.Answers.Remove(item.Id);
                }
                continue;
            }
            value.ItemId = item.Id;
            value.AnsweredAt = now;
            writes.UpsertAnswer(page.Version.Id, value);
            state.Answers[item.Id] = value;
        }
        // An answer whose condition no longer holds is dropped, so data never shows a
        // follow-up question answered by someone it was not meant for.
        foreach (var item in page.Version.Items.Where(i => state.Answers.ContainsKey(i.Id) && !state.IsVisible(i)).ToArray())
        {
            removed.Add(item.Id);
            state.Answers.Remove(item.Id);
        }
        writes.DeleteAnswers(removed);
        writes.MarkSaved();

        CompletionOutcome? completion = null;
        var isLast = !state.ShownPages.Any(p => p.Number > request.PageNumber);
        if (request.Finish == Finish.Always || (request.Finish == Finish.WhenLast && isLast))
        {
            completion = Complete(state, writes);
        }
        await writes.ExecuteAsync(db, ct);
        await transaction.CommitAsync(ct);
        return new PageSave(PageOutcome.Done, state, completion);
    }

    /// <summary>Adds the completion to the writes, or names the first page that still needs an answer.</summary>
    internal static CompletionOutcome Complete(SurveyState state, SurveyWrites writes)
    {
        var unfinished = state.ShownPages.FirstOrDefault(p => state.MissingRequired(p).Any());
        if (unfinished is not null)
        {
            return new CompletionOutcome(false, unfinished.Number, null);
        }
        foreach (var version in state.Versions)
        {
            writes.CompleteResponse(version.Id);
        }
        writes.CompleteInvitation();
        return new CompletionOutcome(true, null, null);
    }
}
