using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Downloads;

/// <summary>
/// GET /studies/{studyId}/interviews/{taskId}/files/{fileId}: one interview file, decrypted, as an
/// attachment that no cache keeps. Contact-rights roles only (analysts and viewers get 403 from the
/// rule); a site-limited member only for a participant of their sites. Audited before a byte goes out.
/// </summary>
public static class InterviewFileDownload
{
    private const string Route = "/studies/{studyId:int}/interviews/{taskId:long}/files/{fileId}";

    /// <summary>The address of one file's download, from the same route the endpoint is mapped on.</summary>
    public static string PathFor(int studyId, long taskId, Guid fileId) => Route
        .Replace("{studyId:int}", studyId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{taskId:long}", taskId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{fileId}", fileId.ToString("D"), StringComparison.Ordinal);

    public static void MapInterviewFileDownload(this WebApplication app) =>
        app.MapGet(Route, SendAsync).RequireAuthorization(StaffPolicies.Contacts);

    private static async Task SendAsync(int studyId, long taskId, string fileId, HttpContext http, StudyDbContext db,
        InterviewFileStore store, TimeProvider clock, CancellationToken ct)
    {
        // The participant join applies the site limit of the request (a query filter on participants).
        var file = !Guid.TryParse(fileId, out var id) ? null : await (
            from f in db.InterviewFiles.AsNoTracking()
            where f.Id == id && f.TaskId == taskId && f.StudyId == studyId
            join t in db.InterviewTasks on f.TaskId equals t.Id
            join p in db.Participants on t.ParticipantId equals p.Id
            select f).SingleOrDefaultAsync(ct);
        if (file is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        AuditLog.Add(db, clock, http.User.Actor(), "interview.file.download", studyId, "interview_file", file.Id,
            new { task = taskId, kind = file.Kind, bytes = file.SizeBytes });
        await db.SaveChangesAsync(ct);

        var response = http.Response;
        response.ContentType = file.ContentType;
        response.ContentLength = file.SizeBytes;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(file.FileName);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        await store.CopyToAsync(file, response.Body, ct);
    }
}
