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

/// <summary>
/// Within-subject comparison of a score or item between two waves, as the CLI's compare verb
/// computes it: a GET form, since it only reads.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class CompareModel(StudyDbContext db, NpgsqlDataSource dataSource, IStringLocalizer<ConsoleText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Score { get; set; }
    [BindProperty(SupportsGet = true)] public string? Item { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cohort { get; set; }
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }

    public DataScope Scope { get; private set; } = null!;
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<VariableComparison>? Results { get; private set; }

    /// <summary>Every score any instrument defines, for the score field's choices.</summary>
    public IEnumerable<string> ScoreCodes => Scope.Layout.Waves.SelectMany(w => w.Instruments).SelectMany(i => i.Scores).Select(s => s.Code).Distinct().Order(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        if (await DataScope.LoadAsync(db, studyId, "compare", ct) is not { } scope)
        {
            return NotFound();
        }
        Scope = scope;
        if (From is null && To is null)
        {
            return Page(); // the empty form
        }
        if (string.IsNullOrEmpty(From))
        {
            Errors["from"] = text["Compare_ChooseFirst"].Value;
        }
        if (string.IsNullOrEmpty(To))
        {
            Errors["to"] = text["Compare_ChooseSecond"].Value;
        }
        scope.CheckWave("from", From, Errors);
        scope.CheckWave("to", To, Errors);
        if (!Errors.ContainsKey("to") && From == To)
        {
            Errors["to"] = text["Compare_ChooseOther"].Value;
        }
        scope.CheckCohort(Cohort, Errors);
        scope.CheckRole(Role, Errors);
        var score = string.IsNullOrWhiteSpace(Score) ? null : Score.Trim();
        var item = string.IsNullOrWhiteSpace(Item) ? null : Item.Trim();
        if (score is not null && item is not null)
        {
            Errors["item"] = text["Compare_NotBoth"].Value;
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var (from, to) = (scope.Layout.Wave(From!)!, scope.Layout.Wave(To!)!);
        var (variables, error) = WaveComparison.Resolve(from, to, score, item);
        if (error is not null)
        {
            DataScope.AddCoreError(error, Errors, item is null ? "score" : "item");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Results = await WaveComparison.CompareAsync(dataSource, scope.Layout, from, to, variables, new ParticipantFilter(string.IsNullOrEmpty(Cohort) ? null : Cohort,
            string.IsNullOrEmpty(Role) ? null : Role, HttpContext.ParticipantSites()), ct);
        return Page();
    }

    /// <summary>The core's name of a statistical method (English, as the CLI prints it) in the staff member's language.</summary>
    public static string Method(IStringLocalizer<ConsoleText> text, string method) => method switch
    {
        WilcoxonSignedRank.Exact => text["Compare_Method_Exact"],
        WilcoxonSignedRank.Normal => text["Compare_Method_Normal"],
        PairedComparison.DzNoncentral => text["Compare_Method_DzNoncentral"],
        PairedComparison.DzApproximate => text["Compare_Method_DzApproximate"],
        _ => method,
    };

    /// <summary>"n = 9 after dropping 2 zero differences", with the Polish plural form of the dropped count.</summary>
    public static string ZeroDropped(IStringLocalizer<ConsoleText> text, int n, int dropped) =>
        text["Compare_ZeroDropped_" + ConsolePlural.Form(dropped, ConsoleLanguage.Current), n, dropped];
}
