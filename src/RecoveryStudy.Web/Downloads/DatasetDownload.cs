using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Downloads;

/// <summary>
/// Sends an export file as an HTTP download, for the API and the console alike: audited first
/// (an export that breaks off half-way was still asked for), then streamed from the database
/// into the response.
/// </summary>
public static class DatasetDownload
{
    public static async Task SendAsync(
        HttpContext http, StudyDbContext db, NpgsqlDataSource dataSource, TimeProvider clock,
        StudyLayout layout, DatasetFile file, ExportRequest request, string via, CancellationToken ct)
    {
        AuditLog.Add(db, clock, http.User.Actor(), "data.export", layout.StudyId, "table", file.Table.Name,
            new { format = file.IsTable ? request.Table : file.Content, parquet = file.Parquet, raw_text = file.RawText, via, request.Wave, request.Cohort, request.Role, request.CompleteOnly });
        await db.SaveChangesAsync(ct);

        var response = http.Response;
        response.ContentType = file.ContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{file.FileName}\"";
        response.Headers.CacheControl = "no-store";
        // Parquet goes out row group by row group (10,000 rows each), CSV row by row: neither holds
        // the dataset. Parquet.Net reads the stream's position, which the forward-only stream counts.
        await using var body = new ForwardOnlyStream(response.Body);
        await file.WriteAsync(dataSource, layout, request.Filter with { Sites = http.ParticipantSites() }, body, null, ct);
    }
}
