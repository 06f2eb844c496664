using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Consent;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>
/// /survey/consent: the study's consent text with a checkbox per clause, before any instrument
/// (docs/protocol.md, "Informed consent"). Agreeing without a required clause ticked brings the
/// page back naming the clause, with nothing stored; declining is recorded and ends the emails.
/// </summary>
[AllowAnonymous]
public sealed class ConsentModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    public const string Agree = "agree";
    public const string Decline = "decline";

    public ConsentDefinition? Consent { get; private set; }
    public IReadOnlySet<string> Ticked { get; private set; } = new HashSet<string>();
    public IReadOnlyList<ConsentClause> Missing { get; private set; } = [];

    public static string ClauseId(ConsentClause clause) => "clause-" + clause.Code;

    /// <summary>The page's language when the consent has its text in it, else the study's default: the language the record names.</summary>
    public string ShownLanguage => Consent?.Text.ContainsKey(Language) != false ? Language : State?.Study.DefaultLanguage ?? "en";

    public string For(LocalizedText text) => text.For(ShownLanguage, State?.Study.DefaultLanguage ?? "en");

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var check = await AskedAsync(ct);
        if (check?.Consent is null)
        {
            return RedirectToPage("/Survey/Index");
        }
        Consent = check.Consent;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? decision, string[]? clause, CancellationToken ct)
    {
        var check = await AskedAsync(ct);
        if (check?.Consent is null || decision is not (Agree or Decline))
        {
            return RedirectToPage("/Survey/Index");
        }
        Consent = check.Consent;
        Ticked = (clause ?? []).ToHashSet(StringComparer.Ordinal);
        var outcome = await ConsentAnswer.RecordAsync(Db, Clock,
            new ConsentRequest(State!.Invitation.Id, decision == Agree, Ticked, ShownLanguage), ct);
        if (outcome.MissingClauses.Count > 0)
        {
            Missing = Consent.Clauses.Where(c => outcome.MissingClauses.Contains(c.Code)).ToList();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return RedirectToPage("/Survey/Index");
    }

    /// <summary>The consent to ask, when this session's invitation is open and waits for it; otherwise null.</summary>
    private async Task<ConsentCheck?> AskedAsync(CancellationToken ct)
    {
        var state = await LoadStateAsync(ct);
        if (state is null || state.Availability(Now) != SurveyAvailability.Open)
        {
            return null;
        }
        var check = await ConsentGate.CheckAsync(Db, state, ct);
        return check.Need == ConsentNeed.Ask ? check : null;
    }
}
