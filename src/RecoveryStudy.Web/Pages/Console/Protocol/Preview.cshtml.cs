using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Protocol;

/// <summary>An instrument version laid out as a participant sees it, in any of the study's languages; nothing can be submitted.</summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class PreviewModel(StudyDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Lang { get; set; }

    public StudyNav Nav { get; private set; } = null!;
    public InstrumentVersion Instrument { get; private set; } = null!;
    public string[] Languages { get; private set; } = [];
    public string Language { get; private set; } = "en";
    public string DefaultLanguage { get; private set; } = "en";

    public async Task<IActionResult> OnGetAsync(int versionId, CancellationToken ct)
    {
        var version = await db.InstrumentVersions.AsNoTracking().Include(v => v.Instrument)
            .Include(v => v.Items.OrderBy(i => i.Position)).ThenInclude(i => i.Options.OrderBy(o => o.Position))
            .AsSplitQuery().SingleOrDefaultAsync(v => v.Id == versionId, ct);
        if (version is null)
        {
            return NotFound();
        }
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == version.Instrument!.StudyId, ct);
        Nav = new StudyNav(study.Id, study.Code, study.Status, "protocol", study.TimeZone);
        Instrument = version;
        Languages = study.Languages;
        DefaultLanguage = study.DefaultLanguage;
        // The staff member's own language when the study has it (an English console shows no Polish labels), else the study's default.
        Language = Lang is not null && Languages.Contains(Lang) ? Lang : Languages.Contains(ConsoleLanguage.Current) ? ConsoleLanguage.Current : study.DefaultLanguage;
        return Page();
    }

    public string T(LocalizedText text) => text.For(Language, DefaultLanguage);

    /// <summary>The choices a participant sees: the item's options, or the scale's points, or yes and no.</summary>
    public IEnumerable<(int Code, string Label)> Choices(Item item)
    {
        if (item.Options.Count > 0)
        {
            return item.Options.Select(o => (o.Code, T(o.Label)));
        }
        if (item.Type == ItemType.YesNo)
        {
            return [(1, "Yes"), (0, "No")];
        }
        if (item.Type == ItemType.Rating && item.Min is decimal min && item.Max is decimal max && max - min <= 20)
        {
            return Enumerable.Range((int)min, (int)(max - min) + 1).Select(v => (v, v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return [];
    }
}
