using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Consent;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>
/// /survey: the wave's introduction before the first answer; afterwards it sends a returning
/// participant on to where they left off, or shows why they cannot answer (completed, closed,
/// withdrawn, or no session).
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    public SurveyAvailability? Availability { get; private set; }
    public SurveyPage? FirstPage { get; private set; }

    /// <summary>The participant declined the study's consent: they see that notice and nothing to answer.</summary>
    public bool ConsentDeclined { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var state = await LoadStateAsync(ct);
        if (state is null)
        {
            return Page();
        }
        Availability = state.Availability(Now);
        if (Availability == SurveyAvailability.Open && await ConsentGate.CheckAsync(Db, state, ct) is { Need: not ConsentNeed.None } consent)
        {
            if (consent.Need == ConsentNeed.Ask)
            {
                return RedirectToPage("/Survey/Consent");
            }
            ConsentDeclined = true;
            return Page();
        }
        if (Availability == SurveyAvailability.Open && state.HasStarted && state.ResumePage() is { } resume)
        {
            return RedirectToPage("/Survey/Question", new { number = resume.Number, resumed = 1 });
        }
        FirstPage = state.ShownPages.FirstOrDefault();
        return Page();
    }
}
