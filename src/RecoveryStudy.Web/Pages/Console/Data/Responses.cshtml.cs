using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Reports;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Data;

/// <summary>
/// Response and attrition per wave and cohort, retention of the first wave's completers, the
/// CONSORT-style flow, and questionnaire and interview completion per role and team; the role
/// filter (a GET form, it only reads) limits every table to one role.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class ResponsesModel(StudyDbContext db, NpgsqlDataSource dataSource, IStringLocalizer<ConsoleText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }

    public StudyNav Nav => Scope.Nav;
    public DataScope Scope { get; private set; } = null!;
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public ResponseReportResult Report { get; private set; } = null!;
    public IReadOnlyList<RoleResponseRow> ByRole { get; private set; } = [];

    /// <summary>The flow figure's SVG: built by the core from numbers and escaped text only, so it can go inline.</summary>
    public string FlowSvg { get; private set; } = "";

    public int ReminderColumns => Report.Rows.Select(r => r.CompletedAfter.Count).DefaultIfEmpty(1).Max();

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        if (await DataScope.LoadAsync(db, studyId, "responses", ct) is not { } scope)
        {
            return NotFound();
        }
        Scope = scope;
        var role = string.IsNullOrEmpty(Role) ? null : Role;
        scope.CheckRole(role, Errors);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            role = null;
        }
        var sites = HttpContext.ParticipantSites();
        if (await ResponseReport.ComputeAsync(dataSource, scope.Nav.StudyCode, sites, role, ct) is not { } report
            || await RoleReport.ComputeAsync(dataSource, scope.Nav.StudyCode, sites, role, ct) is not { } byRole)
        {
            return NotFound();
        }
        Report = report;
        ByRole = byRole;
        FlowSvg = ConsortFigure.Svg(report, new ConsortLabels
        {
            Title = text["FlowTitle"], AriaLabel = text["FlowAria"], Retained = text["FlowRetained"], Wave = text["FlowWave"],
            Eligible = text["FlowEligible"], NotInvited = text["FlowNotInvited"], Withdrawn = text["FlowWithdrawn"], Invited = text["FlowInvited"],
            NotCompleted = text["FlowNotCompleted"], StillOpen = text["FlowStillOpen"], Completed = text["FlowCompleted"],
        });
        return Page();
    }
}
