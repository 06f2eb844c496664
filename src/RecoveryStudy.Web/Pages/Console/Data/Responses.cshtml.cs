using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Reports;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Data;

/// <summary>Response and attrition per wave and cohort, retention of the first wave's completers, and the CONSORT-style flow.</summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class ResponsesModel(StudyDbContext db, NpgsqlDataSource dataSource, IStringLocalizer<ConsoleText> text) : PageModel
{
    public StudyNav Nav { get; private set; } = null!;
    public ResponseReportResult Report { get; private set; } = null!;

    /// <summary>The flow figure's SVG: built by the core from numbers and escaped text only, so it can go inline.</summary>
    public string FlowSvg { get; private set; } = "";

    public int ReminderColumns => Report.Rows.Select(r => r.CompletedAfter.Count).DefaultIfEmpty(1).Max();

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, "responses", ct) is not { } nav
            || await ResponseReport.ComputeAsync(dataSource, nav.StudyCode, HttpContext.ParticipantSites(), ct) is not { } report)
        {
            return NotFound();
        }
        Nav = nav;
        Report = report;
        FlowSvg = ConsortFigure.Svg(report, new ConsortLabels
        {
            Title = text["FlowTitle"], AriaLabel = text["FlowAria"], Retained = text["FlowRetained"], Wave = text["FlowWave"],
            Eligible = text["FlowEligible"], NotInvited = text["FlowNotInvited"], Withdrawn = text["FlowWithdrawn"], Invited = text["FlowInvited"],
            NotCompleted = text["FlowNotCompleted"], StillOpen = text["FlowStillOpen"], Completed = text["FlowCompleted"],
        });
        return Page();
    }
}
