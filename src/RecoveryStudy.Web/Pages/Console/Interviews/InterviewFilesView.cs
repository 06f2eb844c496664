using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>One attached file as the console lists it. The name is shown only to those who may download it.</summary>
public sealed record InterviewFileRow(Guid Id, string Kind, string FileName, long SizeBytes, DateTime UploadedAt, string? UploadedBy);

/// <summary>
/// What the files part of an interview page shows (<c>_InterviewFiles.cshtml</c>), decided from the
/// request's study grant: everyone who sees the task sees that files exist (kind, size, when);
/// contact-rights roles (researcher, data manager, admin) also see names and may download and delete;
/// researchers of the whole study, admins and the assigned interviewer may upload.
/// </summary>
public sealed record InterviewFilesView(int StudyId, long TaskId, IReadOnlyList<InterviewFileRow> Files, bool CanUpload, bool CanDownload,
    bool CanStore, string MaxReadable, ZonedTime Time)
{
    /// <param name="time">The study's zone, as the page's <see cref="StudyNav"/> already holds it.</param>
    public static async Task<InterviewFilesView> LoadAsync(StudyDbContext db, HttpContext http, InterviewFileOptions options,
        int studyId, long taskId, int? interviewerId, ZonedTime time, CancellationToken ct)
    {
        var grant = http.StudyGrant();
        var canDownload = grant?.SeesContacts == true;
        var canUpload = grant is not null && (grant.RunsStudy || (interviewerId is int assigned && assigned == http.User.StaffUserId()));
        var files = await (
            from f in db.InterviewFiles.AsNoTracking()
            where f.TaskId == taskId && f.StudyId == studyId
            join u in db.StaffUsers on f.UploadedBy equals (int?)u.Id into uploader
            from u in uploader.DefaultIfEmpty()
            orderby f.UploadedAt, f.FileName
            select new InterviewFileRow(f.Id, f.Kind, f.FileName, f.SizeBytes, f.UploadedAt, u == null ? null : u.Email)).ToListAsync(ct);
        if (!canDownload)
        {
            files = [.. files.Select(f => f with { FileName = "", UploadedBy = null })];
        }
        return new InterviewFilesView(studyId, taskId, files, canUpload, canDownload, options.CanStore, options.MaxReadable, time);
    }

    public static string Size(long bytes) => InterviewFileOptions.Readable(bytes);
}
