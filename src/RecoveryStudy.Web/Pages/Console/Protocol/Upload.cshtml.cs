using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Web.Auth;
using RecoveryStudy.Web.Pages.Console.Uploads;

namespace RecoveryStudy.Web.Pages.Console.Protocol;

/// <summary>
/// Upload of a protocol file: creates the study or a new protocol version of it, all or
/// nothing. Every problem is listed with its JSON path, as the CLI reports it.
/// </summary>
[Authorize(Policy = StaffPolicies.Research)]
[UploadLimit(MaxBytes)]
public sealed class UploadModel(StudyDbContext db, TimeProvider clock) : PageModel
{
    public const long MaxBytes = 2 * 1024 * 1024;

    public IReadOnlyList<ProtocolProblem> Problems { get; private set; } = [];
    public ProtocolImportResult? Result { get; private set; }
    public string? FileError { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            FileError = "Choose a protocol file (.json) to upload.";
            return Page();
        }
        if (file.Length > MaxBytes)
        {
            FileError = "The file is larger than 2 MB; a protocol file is much smaller.";
            return Page();
        }
        string json;
        using (var reader = new StreamReader(file.OpenReadStream()))
        {
            json = await reader.ReadToEndAsync(ct);
        }
        var result = await new ProtocolImporter(db, clock).ImportAsync(json, User.Actor(), ct);
        if (!result.Succeeded)
        {
            Problems = result.Problems;
            return Page();
        }
        Result = result;
        return Page();
    }
}
