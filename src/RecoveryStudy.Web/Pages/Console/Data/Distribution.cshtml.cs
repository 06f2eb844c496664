using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Statistics;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Data;

/// <summary>How each rated item of a wave was answered, as survey reports print it: percentage per option, n, top-2-box.</summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class DistributionModel(StudyDbContext db, NpgsqlDataSource dataSource, IStringLocalizer<ConsoleText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Wave { get; set; }
    [BindProperty(SupportsGet = true)] public string? Instrument { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cohort { get; set; }

    public DataScope Scope { get; private set; } = null!;
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<ItemDistribution>? Items { get; private set; }

    public IEnumerable<string> InstrumentCodes => Scope.Layout.Waves.SelectMany(w => w.Instruments).Select(i => i.Code).Distinct().Order(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        if (await DataScope.LoadAsync(db, studyId, "distribution", ct) is not { } scope)
        {
            return NotFound();
        }
        Scope = scope;
        if (Wave is null)
        {
            return Page(); // the empty form
        }
        if (Wave.Length == 0)
        {
            Errors["wave"] = text["Dist_ChooseWave"].Value;
        }
        scope.CheckWave("wave", Wave, Errors);
        scope.CheckCohort(Cohort, Errors);
        var instrument = string.IsNullOrEmpty(Instrument) ? null : Instrument;
        if (!Errors.ContainsKey("wave") && instrument is not null && scope.Layout.Wave(Wave)!.Instruments.All(i => i.Code != instrument))
        {
            Errors["instrument"] = text["Dist_NotAsked", Wave, instrument].Value;
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Items = await AnswerDistribution.ComputeAsync(dataSource, scope.Layout, scope.Layout.Wave(Wave)!, instrument,
            new ParticipantFilter(string.IsNullOrEmpty(Cohort) ? null : Cohort, Sites: HttpContext.ParticipantSites()), ct);
        return Page();
    }
}
