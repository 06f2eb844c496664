using System.Security.Claims;
using System.Text;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Reports;
using RecoveryStudy.Staff;
using RecoveryStudy.Statistics;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Api;

/// <summary>
/// The analysts' JSON/CSV API under /api/studies/{study}/: exports streamed from the database,
/// comparison, distributions, responses. Every endpoint requires an API token of an analyst,
/// researcher or admin; every export is audited.
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
    public static readonly string[] ExportFormats = [.. TableKind.All, "parquet", "codebook", "r", "spss"];

    public const string ParquetContentType = "application/vnd.apache.parquet";

    private static async Task<IResult> ExportAsync(HttpContext http, string study, string? format, string? table, string? wave, string? cohort, string? role, bool? completeOnly,
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
        var (exportTable, error) = DatasetExport.CreateTable(layout, request);
        if (exportTable is null)
        {
            return Results.BadRequest(new { error = error!.TrimStart('-') });
        }
        // Audited before the rows go out: an export that breaks off half-way was still asked for.
        AuditLog.Add(db, clock, http.User.Actor(), "data.export", layout.StudyId, "table", exportTable.Name,
            new { format, table = tableKind, via = "api", request.Wave, request.Cohort, request.Role, request.CompleteOnly });
        await db.SaveChangesAsync(ct);
        if (format is "codebook" or "r" or "spss")
        {
            var (text, type, extension) = format switch
            {
                "codebook" => (Codebook.Csv(exportTable), "text/csv", "_codebook.csv"),
                "r" => (RScript.For(exportTable), "text/plain", ".R"),
                _ => (SpssSyntax.For(exportTable), "text/plain", ".sps"),
            };
            return Results.File(new UTF8Encoding(false).GetBytes(text), type + "; charset=utf-8", exportTable.Name + extension);
        }
        var parquet = format == "parquet";
        http.Response.ContentType = parquet ? ParquetContentType : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{exportTable.Name}.{(parquet ? "parquet" : "csv")}\"";
        // Parquet goes out row group by row group (10,000 rows each), CSV row by row: neither holds the dataset.
        await using var body = new ForwardOnlyStream(http.Response.Body);
        await using ITableWriter writer = parquet ? new ParquetTableWriter(body) : new CsvTableWriter(body);
        await DatasetExport.WriteAsync(dataSource, layout, exportTable, request.Filter, writer, null, ct);
        return Results.Empty;
    }

    private static async Task<IResult> CompareAsync(string study, string from, string to, string? score, string? item, string? cohort, string? format,
        StudyDbContext db, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var layout = await StudyLayout.LoadAsync(db, study, ct);
        if (layout?.Wave(from) is not { } a || layout.Wave(to) is not { } b)
        {
            return Results.NotFound();
        }
        var (variables, error) = WaveComparison.Resolve(a, b, score, item);
        if (error is not null)
        {
            return Results.BadRequest(new { error });
        }
        var results = await WaveComparison.CompareAsync(dataSource, layout, a, b, variables, new ParticipantFilter(cohort), ct);
        return format == "csv" ? Results.Text(ReportText.ComparisonCsv(results), "text/csv; charset=utf-8") : Results.Json(results, ReportText.Json);
    }

    private static async Task<IResult> DistributionAsync(string study, string wave, string? instrument, string? cohort, string? format,
        StudyDbContext db, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var layout = await StudyLayout.LoadAsync(db, study, ct);
        if (layout?.Wave(wave) is not { } w)
        {
            return Results.NotFound();
        }
        var items = await AnswerDistribution.ComputeAsync(dataSource, layout, w, instrument, new ParticipantFilter(cohort), ct);
        return format == "csv" ? Results.Text(ReportText.DistributionCsv(items), "text/csv; charset=utf-8") : Results.Json(items, ReportText.Json);
    }

    private static async Task<IResult> ResponsesAsync(string study, string? format, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var report = await ResponseReport.ComputeAsync(dataSource, study, ct);
        return report is null ? Results.NotFound()
            : format == "csv" ? Results.Text(ReportText.ResponsesCsv(report), "text/csv; charset=utf-8")
            : format == "svg" ? Results.Text(ConsortFigure.Svg(report), "image/svg+xml; charset=utf-8")
            : Results.Json(report, ReportText.Json);
    }
}
