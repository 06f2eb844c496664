using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Consent;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>
/// /survey/page/{number}: one page of questions. Next and Submit check the page and save it;
/// Back saves what is valid and asks for nothing. On a problem the page comes back with the
/// participant's own input in the fields, a summary at the top and each message beside its field.
/// </summary>
[AllowAnonymous]
[RequestFormLimits(ValueLengthLimit = MaxValueLength, ValueCountLimit = 1000, KeyLengthLimit = 256)]
[RequestSizeLimit(MaxRequestBytes)]
public sealed class QuestionModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    // Room for the longest text an item can hold, several times over; anything larger is not a person typing.
    public const int MaxValueLength = 64 * 1024;
    public const int MaxRequestBytes = 1024 * 1024;
    public const string NavNext = "next";
    public const string NavBack = "back";
    public const string NavSubmit = "submit";

    public SurveyPage? Current { get; private set; }
    public int Position { get; private set; }
    public int PageCount { get; private set; }
    public bool IsLast { get; private set; }
    public bool Resumed { get; private set; }
    public string? Refusal { get; private set; }
    public IReadOnlyList<QuestionView> Questions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int number, int? resumed, int? check, CancellationToken ct)
    {
        var state = await LoadStateAsync(ct);
        // Index shows the consent page, or why there is nothing to answer.
        if (state is null || state.Availability(Now) != SurveyAvailability.Open || await ConsentGate.BlocksAsync(Db, state, ct))
        {
            return RedirectToPage("/Survey/Index");
        }
        var page = state.ShownPages.FirstOrDefault(p => p.Number >= number);
        if (page is null)
        {
            return RedirectToPage("/Survey/Index");
        }
        if (page.Number != number)
        {
            return RedirectToPage("/Survey/Question", new { number = page.Number });
        }
        Resumed = resumed == 1;
        // Arriving from a Submit that found a required question left open on this page.
        var missing = check == 1 ? state.MissingRequired(page).ToDictionary(q => q.Code, _ => T["ErrorRequired"].Value) : [];
        Show(state, page, StoredValues(state, page), missing);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int number, CancellationToken ct)
    {
        if (Sessions.Peek(HttpContext, ParticipantSessions.SurveyCookie) is not { } session)
        {
            return RedirectToPage("/Survey/Index");
        }
        var nav = Request.Form["nav"].ToString();
        // The anti-forgery field ("__rs_af") and the buttons are the framework's; every other field must be a question.
        var posted = Request.Form.Where(f => !f.Key.StartsWith("__", StringComparison.Ordinal) && f.Key != "nav")
            .ToDictionary(f => f.Key, f => f.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal);
        var finish = nav == NavSubmit ? SurveySaving.Finish.Always : nav == NavBack ? SurveySaving.Finish.Never : SurveySaving.Finish.WhenLast;
        var save = await SurveySaving.SaveAsync(Db, Clock,
            new SurveySaving.PageRequest(session.InvitationId, session.Link.TokenHash, number, posted, RequireAnswers: nav != NavBack, finish), ct);
        var outcome = save.Outcome;
        var state = save.State;
        var page = state?.ShownPages.FirstOrDefault(p => p.Number == number);
        if (state is null || page is null || outcome.Refusal == "RefusedNotOpen")
        {
            // Index tells why (and drops the cookie of a revoked link).
            return RedirectToPage("/Survey/Index");
        }
        UseState(state);
        if (outcome.Refusal is { } refusal)
        {
            Refusal = T[refusal];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Show(state, page, StoredValues(state, page), new Dictionary<string, string>());
            return Page();
        }
        if (!outcome.Saved)
        {
            var errors = outcome.Problems.ToDictionary(p => p.Key, p => T[p.Value.Key, p.Value.Args].Value);
            Show(state, page, posted, errors);
            return Page();
        }

        var shown = state.ShownPages;
        if (nav == NavBack)
        {
            var previous = shown.LastOrDefault(p => p.Number < number);
            return previous is null ? RedirectToPage("/Survey/Index") : RedirectToPage("/Survey/Question", new { number = previous.Number });
        }
        if (save.Completion is not { } completion)
        {
            var next = shown.First(p => p.Number > number);
            return RedirectToPage("/Survey/Question", new { number = next.Number });
        }
        if (completion.PageToFinish is { } unfinished)
        {
            return RedirectToPage("/Survey/Question", new { number = unfinished, check = 1 });
        }
        return completion.Completed ? RedirectToPage("/Survey/Thanks") : RedirectToPage("/Survey/Index");
    }

    private void Show(SurveyState state, SurveyPage page, IReadOnlyDictionary<string, string[]> values, IReadOnlyDictionary<string, string> errors)
    {
        var shown = state.ShownPages;
        Current = page;
        Position = shown.ToList().FindIndex(p => p.Number == page.Number) + 1;
        PageCount = shown.Count;
        IsLast = Position == PageCount;
        Questions = page.Questions.Where(state.IsVisible)
            .Select(q => new QuestionView(q, Language, values.GetValueOrDefault(q.Code) ?? [], errors.GetValueOrDefault(q.Code)))
            .ToArray();
    }

    private static Dictionary<string, string[]> StoredValues(SurveyState state, SurveyPage page)
    {
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var item in page.Questions)
        {
            if (state.Answers.TryGetValue(item.Id, out var answer))
            {
                values[item.Code] = Raw(answer);
            }
        }
        return values;
    }

    private static string[] Raw(Answer answer) => answer switch
    {
        { Codes: { } codes } => codes.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray(),
        { NumericValue: { } number } => [number.ToString(CultureInfo.InvariantCulture)],
        { DateValue: { } date } => [date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
        { TextValue: { } text } => [text],
        _ => [],
    };

    /// <summary>The href of an error summary entry: the field itself, or a choice item's first option.</summary>
    public static string Target(QuestionView question) =>
        "#" + (AnswerRules.Choices(question.Item) is [var first, ..] ? question.OptionId(first.Code) : question.FieldId);

    public string Heading(string language) => Current!.Version.Title.For(language);

    /// <summary>The section heading over the page, unless the section's own condition hides it.</summary>
    public string? SectionText(string language) =>
        Current?.Section is { } section && State!.IsVisible(section) && section.Label.For(language) is { Length: > 0 } text ? text : null;
}
