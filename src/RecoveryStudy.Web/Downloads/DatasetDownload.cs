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
            new { format = file.IsTable ? request.Table : file.Content, parquet = file.Parquet, via, request.Wave, request.Cohort, request.Role, request.CompleteOnly });
        await db.SaveChangesAsync(ct);

        var response = http.Response;
        response.ContentType = file.ContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{file.FileName}\"";
        response.Headers.CacheControl = "no-store";
        if (!file.Parquet)
        {
            await file.WriteAsync(dataSource, layout, request.Filter, response.Body, null, ct);
            return;
        }
        // Parquet's writer records file offsets and so needs a seekable stream, which a response
        // body is not: the file is written to a temporary file (row group by row group, so memory
        // stays bounded) and then copied out.
        var path = Path.GetTempFileName();
        await using var temporary = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await file.WriteAsync(dataSource, layout, request.Filter, temporary, null, ct);
        response.ContentLength = temporary.Length;
        temporary.Position = 0;
        await temporary.CopyToAsync(response.Body, ct);
    }
}
