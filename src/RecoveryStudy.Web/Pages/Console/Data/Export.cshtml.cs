using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Web.Auth;
using RecoveryStudy.Web.Downloads;

namespace RecoveryStudy.Web.Pages.Console.Data;

/// <summary>
/// A study's datasets for analysts: pick the table's shape and which participants, then download
/// the table (CSV or Parquet), its codebook, the R script or the SPSS syntax. The download is a
/// POST because it writes an audit entry; the rows stream from the database into the response.
/// </summary>
[Authorize(Policy = StaffPolicies.Datasets)]
public sealed class ExportModel(StudyDbContext db, NpgsqlDataSource dataSource, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    /// <summary>Each shape with the key of its label in <see cref="ConsoleText"/>.</summary>
    public static readonly (string Value, string Label)[] Shapes =
    [
        (TableKind.WideAcross, "ExportShapeWideAcross"),
        (TableKind.Wide, "ExportShapeWide"),
        (TableKind.Long, "ExportShapeLong"),
    ];

    /// <summary>Each download with the key of its button label in <see cref="ConsoleText"/>.</summary>
    public static readonly (string Value, string Label)[] Downloads =
    [
        (DatasetFile.TableContent, "ExportDownloadTable"),
        (DatasetFile.Codebook, "ExportDownloadCodebook"),
        (DatasetFile.R, "ExportDownloadR"),
        (DatasetFile.Spss, "ExportDownloadSpss"),
        (DatasetFile.Stata, "ExportDownloadStata"),
    ];

    [BindProperty(SupportsGet = true)] public string Shape { get; set; } = TableKind.WideAcross;
    [BindProperty(SupportsGet = true)] public string? Wave { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cohort { get; set; }
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }
    [BindProperty(SupportsGet = true)] public bool CompleteOnly { get; set; }
    [BindProperty(SupportsGet = true)] public bool RawText { get; set; }
    [BindProperty(SupportsGet = true)] public string Format { get; set; } = "csv";
    [BindProperty] public string Download { get; set; } = DatasetFile.TableContent;

    public DataScope Scope { get; private set; } = null!;
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct) =>
        await DataScope.LoadAsync(db, studyId, "data", ct) is { } scope ? Show(scope) : NotFound();

    public async Task<IActionResult> OnPostAsync(int studyId, CancellationToken ct)
    {
        if (await DataScope.LoadAsync(db, studyId, "data", ct) is not { } scope)
        {
            return NotFound();
        }
        if (!TableKind.All.Contains(Shape))
        {
            Errors["shape"] = text["ExportChooseShape"];
        }
        if (Format is not ("csv" or "parquet"))
        {
            Errors["format"] = text["ExportChooseFormat"];
        }
        scope.CheckWave("wave", Wave, Errors);
        scope.CheckCohort(Cohort, Errors);
        scope.CheckRole(Role, Errors);
        if (Errors.Count > 0)
        {
            return Show(scope);
        }
        var request = new ExportRequest(Shape, Empty(Wave), Empty(Cohort), Empty(Role), CompleteOnly);
        var (file, error) = DatasetFile.Create(scope.Layout, request, Download, Format == "parquet" && Download == DatasetFile.TableContent, RawText);
        if (file is null)
        {
            DataScope.AddCoreError(error!, Errors, "download", new Dictionary<string, string> { ["parquet"] = "format" });
            return Show(scope);
        }
        await DatasetDownload.SendAsync(HttpContext, db, dataSource, clock, scope.Layout, file, request, "console", ct);
        return new EmptyResult();
    }

    private PageResult Show(DataScope scope)
    {
        Scope = scope;
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
