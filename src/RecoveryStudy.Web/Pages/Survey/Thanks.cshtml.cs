using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>/survey/thanks: shown once the answers are submitted.</summary>
[AllowAnonymous]
public sealed class ThanksModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var state = await LoadStateAsync(ct);
        return state?.Availability(Now) == SurveyAvailability.Completed ? Page() : RedirectToPage("/Survey/Index");
    }
}
