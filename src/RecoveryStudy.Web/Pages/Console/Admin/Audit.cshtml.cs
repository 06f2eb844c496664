using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Admin;

/// <summary>The audit log, newest first, filtered by action, person, study, target and dates.</summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class AuditModel(StudyDbContext db, IStringLocalizer<ConsoleText> text) : PageModel
{
    public const int PageSize = 100;

    public sealed record Row(long Id, DateTime At, string Actor, string Action, string? Study, string? TargetType, string? TargetId, string? Details, string? From);

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public int? Staff { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public int? Study { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Target { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "before")] public long? Before { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<string> Actions { get; private set; } = [];
    public Dictionary<int, string> StaffUsers { get; private set; } = [];
    public Dictionary<int, string> Studies { get; private set; } = [];
    public bool HasMore { get; private set; }
    public ZonedTime Time { get; private set; } = ZonedTime.Utc;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Actions = await db.AuditEntries.Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        StaffUsers = await db.StaffUsers.AsNoTracking().OrderBy(u => u.Email).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
        Studies = await db.Studies.AsNoTracking().OrderBy(s => s.Code).ToDictionaryAsync(s => s.Id, s => s.Code, ct);

        Time = await ZonedTime.ForConsoleAsync(db, Study, ct);
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(Action))
        {
            // "participant" finds participant.withdraw, participant.anchors, ...
            query = Action.Contains('.', StringComparison.Ordinal)
                ? query.Where(a => a.Action == Action)
                : query.Where(a => a.Action == Action || a.Action.StartsWith(Action + "."));
        }
        if (Staff is int staff)
        {
            query = query.Where(a => a.StaffUserId == staff || (a.TargetType == "staff_user" && a.TargetId == staff.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (Study is int study)
        {
            query = query.Where(a => a.StudyId == study);
        }
        if (!string.IsNullOrWhiteSpace(Target))
        {
            // "participant:42" or just "42".
            var parts = Target.Trim().Split(':', 2);
            query = parts.Length == 2
                ? query.Where(a => a.TargetType == parts[0] && a.TargetId == parts[1])
                : query.Where(a => a.TargetId == parts[0]);
        }
        if (From is DateOnly from)
        {
            var start = Time.StartOf(from);
            query = query.Where(a => a.At >= start);
        }
        if (To is DateOnly to)
        {
            var end = Time.StartOf(to.AddDays(1));
            query = query.Where(a => a.At < end);
        }
        if (Before is long before)
        {
            query = query.Where(a => a.Id < before);
        }
        var entries = await query.OrderByDescending(a => a.Id).Take(PageSize + 1).ToListAsync(ct);
        HasMore = entries.Count > PageSize;
        Rows = entries.Take(PageSize).Select(a => new Row(a.Id, a.At,
            a.StaffUserId is int id ? StaffUsers.GetValueOrDefault(id, text["Audit_StaffNumber", id].Value) : a.ActorKind,
            a.Action, a.StudyId is int s ? Studies.GetValueOrDefault(s) : null, a.TargetType, a.TargetId, a.Details, a.ClientAddress?.ToString())).ToList();
    }

    public string NextPageLink() =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["action"] = Action, ["staff"] = Staff?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["study"] = Study?.ToString(System.Globalization.CultureInfo.InvariantCulture), ["target"] = Target,
            ["from"] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["to"] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["before"] = Rows.LastOrDefault()?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToString();
}
