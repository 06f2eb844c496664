using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>
/// The files of one interview task: every member who may see the task sees that files exist;
/// upload and delete as <see cref="InterviewFilesView"/> says. The upload is read as a stream
/// (<see cref="UploadForm"/>), so this page checks anti-forgery itself, in both handlers, and binds
/// nothing from the form; it takes its ids from the route.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
[IgnoreAntiforgeryToken]
[DisableFormBinding]
public sealed class FilesModel(StudyDbContext db, InterviewFileStore store, IOptions<InterviewFileOptions> options, IStringLocalizer<ConsoleText> text) : PageModel
{
    /// <summary>Room for the form's other fields and the multipart envelope beside the file.</summary>
    private const long EnvelopeBytes = 64 * 1024;

    public StudyNav Nav { get; private set; } = null!;
    public InterviewRow Row { get; private set; } = null!;
    public InterviewFilesView Files { get; private set; } = null!;

    private int StudyId => int.Parse((string)RouteData.Values["studyId"]!, CultureInfo.InvariantCulture);
    private long TaskId => long.Parse((string)RouteData.Values["taskId"]!, CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(HttpContext.RequestAborted) ? Page() : NotFound();

    public async Task<IActionResult> OnPostUploadAsync()
    {
        var ct = HttpContext.RequestAborted;
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        if (!Files.CanUpload)
        {
            return Forbid();
        }
        var max = options.Value.MaxFileBytes;
        if (Request.ContentLength is long length && length > max + EnvelopeBytes)
        {
            // Refused before a byte is read; nothing was stored.
            ModelState.AddModelError("File", TooLarge);
            Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Page();
        }
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + EnvelopeBytes;
        }
        var form = new UploadForm(HttpContext);
        if (!form.IsMultipart)
        {
            return BadRequest();
        }
        InterviewFileSaved saved;
        try
        {
            var file = await form.NextFileAsync(ct);
            if (file is not { FileName.Length: > 0 } chosen)
            {
                ModelState.AddModelError("File", text["Interviews_ErrNoFile"]);
                return Page();
            }
            var upload = new InterviewFileUpload(TaskId, StudyId, form.Fields.GetValueOrDefault("Kind", ""), chosen.FileName);
            saved = await store.SaveAsync(upload, chosen.Body, User.Actor(), ct);
        }
        catch (AntiforgeryValidationException)
        {
            return BadRequest();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ModelState.AddModelError("File", TooLarge);
            Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Page();
        }
        if (saved.File is not { } stored)
        {
            ModelState.AddModelError(saved.Field!, saved.Problem == store.TooLargeMessage ? TooLarge : saved.Problem!);
            return Page();
        }
        TempData["Notice"] = text["Interviews_Stored", text.FileKind(stored.Kind), stored.FileName, InterviewFileOptions.Readable(stored.SizeBytes)].Value;
        return Request.Query["from"] == "task" && HttpContext.StudyGrant()?.RunsStudy == true
            ? RedirectToPage("/Console/Interviews/Task", new { studyId = StudyId, taskId = TaskId })
            : RedirectToPage(new { studyId = StudyId, taskId = TaskId });
    }

    public async Task<IActionResult> OnPostDeleteAsync([FromServices] IAntiforgery antiforgery)
    {
        var ct = HttpContext.RequestAborted;
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return BadRequest();
        }
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        if (!Files.CanDownload)
        {
            return Forbid();
        }
        var id = Guid.TryParse(Request.Form["FileId"], out var parsed) ? parsed : Guid.Empty;
        var file = await db.InterviewFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id && f.TaskId == TaskId && f.StudyId == StudyId, ct);
        if (file is null)
        {
            ModelState.AddModelError("FileId", text["Interviews_ErrNoSuchFile"]);
            return Page();
        }
        await store.DeleteAsync(file, User.Actor(), ct);
        TempData["Notice"] = text["Interviews_Deleted", text.FileKind(file.Kind), file.FileName].Value;
        return RedirectToPage(new { studyId = StudyId, taskId = TaskId });
    }

    /// <summary>The store's refusal of a file over the limit, in the staff member's language (its other refusals are Core's, in English).</summary>
    private string TooLarge => text["Interviews_ErrTooLarge", options.Value.MaxReadable];

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var nav = await StudyNav.LoadAsync(db, StudyId, "interviews", ct);
        var row = nav is null ? null : await InterviewRows.Query(db, StudyId, TaskId).SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return false;
        }
        (Nav, Row) = (nav!, row);
        Files = await InterviewFilesView.LoadAsync(db, HttpContext, options.Value, StudyId, TaskId, row.InterviewerId, Nav.Time, ct);
        return true;
    }
}
