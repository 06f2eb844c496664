using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Reports;
using RecoveryStudy.Statistics;
using RecoveryStudy.Web.Auth;
using RecoveryStudy.Web.Downloads;

namespace RecoveryStudy.Web.Api;

/// <summary>
/// The analysts' JSON/CSV API under /api/studies/{study}/: exports streamed from the database,
/// comparison, distributions, responses. Every endpoint requires an API token of an admin or of a
/// researcher, data manager or analyst of the study, and answers for that member's sites only;
/// every export is audited.
/// </summary>
public static class DataEndpoints
{
    public static void MapDataApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/studies/{study}").RequireAuthorization(ApiTokenAuth.DataPolicy);
        api.MapGet("/export", ExportAsync);
        api.MapGet("/compare", CompareAsync);
        api.MapGet("/distribution", DistributionAsync);
        api.MapGet("/responses", ResponsesAsync);
    }

    /// <summary>What format= accepts: a table as CSV, a table as Parquet (table= names it), or a description of a table.</summary>
    public static readonly string[] ExportFormats = [.. TableKind.All, "parquet", .. DatasetFile.Documents];

    public const string ParquetContentType = "application/vnd.apache.parquet";

    private static async Task<IResult> ExportAsync(HttpContext http, string study, string? format, string? table, string? wave, string? cohort, string? role, bool? completeOnly, bool? raw,
        StudyDbContext db, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct)
    {
        if (format is null || !ExportFormats.Contains(format))
        {
            return Results.BadRequest(new { error = $"format: '{format}' is not a format; use one of {string.Join(", ", ExportFormats)}" });
        }
        if (table is not null && (format != "parquet" || !TableKind.All.Contains(table)))
        {
            return Results.BadRequest(new { error = format != "parquet"
                ? "table: only with format=parquet (for CSV the format names the table)"
                : $"table: '{table}' is not a table; use one of {string.Join(", ", TableKind.All)}" });
        }
        var layout = await StudyLayout.LoadAsync(db, study, ct);
        if (layout is null)
        {
            return Results.NotFound();
        }
        var tableKind = TableKind.All.Contains(format) ? format : table ?? (wave is null ? TableKind.WideAcross : TableKind.Wide);
        var request = new ExportRequest(tableKind, wave, cohort, role, completeOnly ?? false);
        if (await UnknownAsync(db, layout, request.Filter, ct, ("wave", wave)) is { } unknown)
        {
            return unknown;
        }
        var content = DatasetFile.Documents.Contains(format) ? format : DatasetFile.TableContent;
        var (file, error) = DatasetFile.Create(layout, request, content, parquet: format == "parquet", rawText: raw ?? false);
        if (file is null)
        {
            return Results.BadRequest(new { error = error!.TrimStart('-') });
        }
        await DatasetDownload.SendAsync(http, db, dataSource, clock, layout, file, request, "api", ct);
        return Results.Empty;
    }

    private static async Task<IResult> CompareAsync(HttpContext http, string study, string from, string to, string? score, string? item, string? cohort, string? role, string? format,
        StudyDbContext db, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var layout = await StudyLayout.LoadAsync(db, study, ct);
        if (layout is null)
        {
            return Results.NotFound();
        }
        var filter = new ParticipantFilter(cohort, role, http.ParticipantSites());
        if (await UnknownAsync(db, layout, filter, ct, ("from", from), ("to", to)) is { } unknown)
        {
            return unknown;
        }
        var (a, b) = (layout.Wave(from)!, layout.Wave(to)!);
        var (variables, error) = WaveComparison.Resolve(a, b, score, item);
        if (error is not null)
        {
            return Results.BadRequest(new { error });
        }
        var results = await WaveComparison.CompareAsync(dataSource, layout, a, b, variables, filter, ct);
        return format == "csv" ? Results.Text(ReportText.ComparisonCsv(results, role), "text/csv; charset=utf-8") : Results.Json(results, ReportText.Json);
    }

    private static async Task<IResult> DistributionAsync(HttpContext http, string study, string wave, string? instrument, string? cohort, string? format,
        StudyDbContext db, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var layout = await StudyLayout.LoadAsync(db, study, ct);
        if (layout is null)
        {
            return Results.NotFound();
        }
        var filter = new ParticipantFilter(cohort, Sites: http.ParticipantSites());
        if (await UnknownAsync(db, layout, filter, ct, ("wave", wave)) is { } unknown)
        {
            return unknown;
        }
        var items = await AnswerDistribution.ComputeAsync(dataSource, layout, layout.Wave(wave)!, instrument, filter, ct);
        return format == "csv" ? Results.Text(ReportText.DistributionCsv(items), "text/csv; charset=utf-8") : Results.Json(items, ReportText.Json);
    }

    /// <summary>400 naming every wave, cohort or role the study does not know (which would select nobody), or null.</summary>
    private static async Task<IResult?> UnknownAsync(StudyDbContext db, StudyLayout layout, ParticipantFilter filter, CancellationToken ct, params (string Option, string? Code)[] waves)
    {
        var unknown = (await FilterValues.LoadAsync(db, layout, ct)).Unknown(filter, waves);
        return unknown.Count == 0 ? null : Results.BadRequest(new { error = string.Join("; ", unknown.Select(u => u.TrimStart('-'))) });
    }

    /// <summary>role= limits the report to one role; by=role gives completion per role, wave and team instead.</summary>
    private static async Task<IResult> ResponsesAsync(HttpContext http, string study, string? format, string? role, string? by,
        StudyDbContext db, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (by is not (null or "role"))
        {
            return Results.BadRequest(new { error = $"by: '{by}' is not a breakdown; use by=role" });
        }
        if (role is not null)
        {
            if (await StudyLayout.LoadAsync(db, study, ct) is not { } layout)
            {
                return Results.NotFound();
            }
            if (await UnknownAsync(db, layout, new ParticipantFilter(Role: role), ct) is { } unknown)
            {
                return unknown;
            }
        }
        if (by == "role")
        {
            var rows = await RoleReport.ComputeAsync(dataSource, study, http.ParticipantSites(), role, ct);
            return rows is null ? Results.NotFound()
                : format == "csv" ? Results.Text(ReportText.RoleResponsesCsv(rows), "text/csv; charset=utf-8")
                : Results.Json(rows, ReportText.Json);
        }
        var report = await ResponseReport.ComputeAsync(dataSource, study, http.ParticipantSites(), role, ct);
        return report is null ? Results.NotFound()
            : format == "csv" ? Results.Text(ReportText.ResponsesCsv(report), "text/csv; charset=utf-8")
            : format == "svg" ? Results.Text(ConsortFigure.Svg(report), "image/svg+xml; charset=utf-8")
            : Results.Json(report, ReportText.Json);
    }
}
