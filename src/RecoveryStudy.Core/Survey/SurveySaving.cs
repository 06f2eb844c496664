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

/// <summary>Saves one page of answers, in one transaction that holds the invitation's row lock.</summary>
public static class SurveySaving
{
    /// <param name="posted">The page's fields by item code, without the framework's own fields.</param>
    /// <param name="requireAnswers">False when the participant goes back: keep what is valid, ask for nothing.</param>
    public static async Task<PageOutcome> SavePageAsync(StudyDbContext db, TimeProvider clock, long invitationId, int pageNumber,
        IReadOnlyDictionary<string, string[]> posted, bool requireAnswers, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var state = await LockAndLoadAsync(db, invitationId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (state is null || state.Availability(now) != SurveyAvailability.Open)
        {
            return PageOutcome.Refused("RefusedNotOpen");
        }
        var page = state.Pages.FirstOrDefault(p => p.Number == pageNumber);
        if (page is null || !state.IsShown(page))
        {
            return PageOutcome.Refused("RefusedUnknownField");
        }
        var visible = page.Questions.Where(state.IsVisible).ToArray();
        // A field the page did not draw (an unknown item, or one hidden by its condition) means
        // the form was not ours: refuse all of it rather than store part.
        if (posted.Keys.Any(key => visible.All(q => q.Code != key)))
        {
            return PageOutcome.Refused("RefusedUnknownField");
        }

        var problems = new Dictionary<string, FieldProblem>();
        var checks = new List<(Item Item, Answer? Value)>();
        foreach (var item in visible)
        {
            var check = AnswerRules.Check(item, posted.GetValueOrDefault(item.Code) ?? [], requireAnswers);
            if (check.Problem is not null)
            {
                problems[item.Code] = check.Problem;
            }
            checks.Add((item, check.Value));
        }
        if (problems.Count > 0)
        {
            return new PageOutcome(problems, null);
        }

        var response = ResponseFor(db, state, page.Version, now);
        foreach (var (item, value) in checks)
        {
            Store(db, state, response, item, value, now);
        }
        // An answer whose condition no longer holds is dropped, so data never shows a
        // follow-up question answered by someone it was not meant for.
        foreach (var item in page.Version.Items.Where(i => state.Answers.ContainsKey(i.Id) && !state.IsVisible(i)).ToArray())
        {
            db.Answers.Remove(state.Answers[item.Id]);
            state.Answers.Remove(item.Id);
        }
        response.UpdatedAt = now;
        var invitation = state.Invitation;
        invitation.LastSavedAt = now;
        invitation.FirstOpenedAt ??= now;
        if (invitation.Status is InvitationStatus.Planned or InvitationStatus.Sent or InvitationStatus.Opened)
        {
            invitation.Status = InvitationStatus.InProgress;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return PageOutcome.Done;
    }

    /// <summary>Takes the invitation's row lock (so two tabs save one after the other) and loads its state.</summary>
    internal static async Task<SurveyState?> LockAndLoadAsync(StudyDbContext db, long invitationId, CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM invitations WHERE id = {invitationId} FOR UPDATE", ct);
        return await SurveyState.LoadAsync(db, invitationId, ct);
    }

    /// <summary>The response of this invitation to this version; a new one pins the version it was shown.</summary>
    internal static Response ResponseFor(StudyDbContext db, SurveyState state, InstrumentVersion version, DateTime now)
    {
        if (!state.Responses.TryGetValue(version.Id, out var response))
        {
            response = new Response
            {
                InvitationId = state.Invitation.Id,
                InstrumentVersionId = version.Id,
                Status = ResponseStatus.InProgress,
                StartedAt = now,
                UpdatedAt = now,
            };
            db.Responses.Add(response);
            state.Responses[version.Id] = response;
        }
        return response;
    }

    private static void Store(StudyDbContext db, SurveyState state, Response response, Item item, Answer? value, DateTime now)
    {
        state.Answers.TryGetValue(item.Id, out var existing);
        if (value is null)
        {
            if (existing is not null)
            {
                db.Answers.Remove(existing);
                state.Answers.Remove(item.Id);
            }
            return;
        }
        if (existing is null)
        {
            value.AnsweredAt = now;
            response.Answers.Add(value);
            state.Answers[item.Id] = value;
            return;
        }
        var changed = existing.NumericValue != value.NumericValue || existing.DateValue != value.DateValue
            || existing.TextValue != value.TextValue || !(existing.Codes ?? []).SequenceEqual(value.Codes ?? []);
        if (changed)
        {
            existing.NumericValue = value.NumericValue;
            existing.Codes = value.Codes;
            existing.DateValue = value.DateValue;
            existing.TextValue = value.TextValue;
            existing.AnsweredAt = now;
        }
    }
}
