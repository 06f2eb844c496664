using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;
using RecoveryStudy.Web.Pages.Console.Uploads;

namespace RecoveryStudy.Web.Pages.Console.Protocol;

/// <summary>
/// Upload of a protocol file in two steps. The upload is a dry run, the CLI's
/// `schedule preview --protocol` (a running study) or `protocol import` rolled back (a new one): it
/// lists every problem with its JSON path, or what the file would change, the protocol in words
/// and every email it would add, move or cancel, and stores nothing. Applying then imports exactly
/// the text that was previewed, all or nothing, and only if the study's protocol did not change
/// in between (another upload): otherwise it asks for a new preview.
/// </summary>
[Authorize(Policy = StaffPolicies.Research)]
[UploadLimit(MaxBytes)]
public sealed class UploadModel(StudyDbContext db, TimeProvider clock, StudyAccess access, IStringLocalizer<ConsoleText> text) : PageModel
{
    public const long MaxBytes = 2 * 1024 * 1024;

    /// <summary>Email changes listed on the page; the rest are counted.</summary>
    public const int ListedChanges = 200;

    /// <summary>What the file would do, and what the apply form sends back.</summary>
    public sealed record UploadPreview(string StudyCode, bool NewStudy, int CurrentVersion, IReadOnlyList<string> ProtocolChanges,
        IReadOnlyList<PreviewChange> EmailChanges, string Json, ZonedTime Time);

    public IReadOnlyList<ProtocolProblem> Problems { get; private set; } = [];
    public UploadPreview? Preview { get; private set; }
    public ProtocolImportResult? Result { get; private set; }
    public string? FileError { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>The upload: a dry run that shows the changes; nothing is stored.</summary>
    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            FileError = text["UploadChooseFile"];
            return Page();
        }
        if (file.Length > MaxBytes)
        {
            FileError = text["UploadTooLarge"];
            return Page();
        }
        string json;
        using (var reader = new StreamReader(file.OpenReadStream()))
        {
            json = await reader.ReadToEndAsync(ct);
        }
        var validation = ProtocolValidator.Validate(json);
        if (!validation.IsValid)
        {
            Problems = validation.Problems;
            return Page();
        }
        var code = validation.Protocol!.Study.Code;
        if (await RefusedAsync(code, ct))
        {
            return Forbid();
        }
        var current = await CurrentVersionAsync(code, ct);
        // Times in the zone the file gives the study: the plan it would make runs in that zone.
        var zone = ZonedTime.In(validation.Protocol.Study.TimeZone);
        if (current == 0)
        {
            var dry = await new ProtocolImporter(db, clock).TryAsync(json, User.Actor(), (_, _, _) => Task.CompletedTask, ct);
            if (!dry.Succeeded)
            {
                Problems = dry.Problems;
                return Page();
            }
            Preview = new UploadPreview(code, true, 0, [.. dry.Changes.Where(c => !c.StartsWith("protocol version ", StringComparison.Ordinal))], [], json, zone);
            return Page();
        }
        var preview = await ProtocolPreview.RunAsync(db, clock, code, json, null, null, null, ct);
        if (preview is null || !preview.IsValid)
        {
            Problems = preview?.Problems ?? [new ProtocolProblem("$.study.code", $"study '{code}' was deleted meanwhile")];
            return Page();
        }
        Preview = new UploadPreview(code, false, current, preview.ProtocolChanges, preview.Changes, json, zone);
        return Page();
    }

    /// <summary>Imports the previewed text, unless the study's protocol changed since the preview.</summary>
    public async Task<IActionResult> OnPostApplyAsync(string? json, int basis, string? sha, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(json) || sha != Sha(json))
        {
            FileError = text["UploadNotIntact"];
            return Page();
        }
        var validation = ProtocolValidator.Validate(json);
        if (!validation.IsValid)
        {
            Problems = validation.Problems;
            return Page();
        }
        var code = validation.Protocol!.Study.Code;
        if (await RefusedAsync(code, ct))
        {
            return Forbid();
        }
        var current = await CurrentVersionAsync(code, ct);
        // Times in the zone the file gives the study: the plan it would make runs in that zone.
        var zone = ZonedTime.In(validation.Protocol.Study.TimeZone);
        if (current != basis)
        {
            FileError = text["UploadChangedSince", code, current, basis];
            return Page();
        }
        var result = await new ProtocolImporter(db, clock).ImportAsync(json, User.Actor(), ct);
        if (!result.Succeeded)
        {
            Problems = result.Problems;
            return Page();
        }
        Result = result;
        if (basis == 0 && !User.IsInRole(StaffRole.Admin))
        {
            // Whoever creates a study runs it; everyone else is added by an admin.
            var studyId = await db.Studies.Where(s => s.Code == code).Select(s => s.Id).SingleAsync(ct);
            db.StudyMembers.Add(new StudyMember { StaffUserId = User.StaffUserId()!.Value, StudyId = studyId, Role = StudyMemberRole.Researcher, CreatedAt = clock.GetUtcNow().UtcDateTime });
            AuditLog.Add(db, clock, User.Actor(), "study.member_add", studyId, "staff_user", User.StaffUserId(), new { role = StudyMemberRole.Researcher, sites = (int[]?)null });
            await db.SaveChangesAsync(ct);
        }
        return Page();
    }

    /// <summary>
    /// A check that the text sent back is the text previewed. Over its lines joined by LF: a browser
    /// sends a form field's line breaks as CRLF whatever the file had (the import reads JSON, to which that is the same).
    /// </summary>
    public static string Sha(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json.ReplaceLineEndings("\n"))));

    /// <summary>
    /// A researcher account may create a study; an existing study's protocol changes only by its
    /// admins and whole-study researchers (the route names no study, so the page asks itself).
    /// </summary>
    private async Task<bool> RefusedAsync(string code, CancellationToken ct) =>
        await db.Studies.Where(s => s.Code == code).Select(s => (int?)s.Id).SingleOrDefaultAsync(ct) is int studyId
        && (await access.GrantAsync(User, studyId, ct))?.RunsStudy != true;

    /// <summary>The study's current protocol version, 0 when there is no such study yet.</summary>
    private async Task<int> CurrentVersionAsync(string code, CancellationToken ct) =>
        await db.ProtocolVersions.AsNoTracking()
            .Where(v => db.Studies.Any(s => s.Code == code && s.CurrentProtocolVersionId == v.Id))
            .Select(v => (int?)v.Version).SingleOrDefaultAsync(ct) ?? 0;
}
