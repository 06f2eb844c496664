using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;

namespace RecoveryStudy.Web.Pages.Console.Data;

/// <summary>
/// What every analyst page offers in its forms: the study (navigation), its layout of waves,
/// instruments, items and scores, and the cohort and role codes participants carry. Also checks
/// the common fields, putting each message next to the field it concerns.
/// </summary>
public sealed class DataScope
{
    private DataScope(StudyNav nav, StudyLayout layout, IReadOnlyList<string> cohorts, IReadOnlyList<string> roles)
    {
        Nav = nav;
        Layout = layout;
        Cohorts = cohorts;
        Roles = roles;
    }

    /// <summary>The console's pages are English: item and score labels in English when the study has them, else its default language.</summary>
    public const string ConsoleLanguage = "en";

    public StudyNav Nav { get; }
    public StudyLayout Layout { get; }
    public IReadOnlyList<string> Cohorts { get; }
    public IReadOnlyList<string> Roles { get; }

    /// <summary>Null when there is no such study.</summary>
    public static async Task<DataScope?> LoadAsync(StudyDbContext db, int studyId, string current, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, current, ct) is not { } nav
            || await StudyLayout.LoadAsync(db, nav.StudyCode, ct, ConsoleLanguage) is not { } layout)
        {
            return null;
        }
        var cohorts = await db.Cohorts.AsNoTracking().Where(c => c.StudyId == studyId).OrderBy(c => c.Code).Select(c => c.Code).ToListAsync(ct);
        var roles = await db.Participants.AsNoTracking().Where(p => p.StudyId == studyId).Select(p => p.Role).Distinct().OrderBy(r => r).ToListAsync(ct);
        return new DataScope(nav, layout, cohorts, roles);
    }

    public void CheckWave(string field, string? code, IDictionary<string, string> errors)
    {
        if (!string.IsNullOrEmpty(code) && Layout.Wave(code) is null)
        {
            errors[field] = $"The study has no wave '{code}' (waves: {string.Join(", ", Layout.Waves.Select(w => w.Code))}).";
        }
    }

    public void CheckCohort(string? code, IDictionary<string, string> errors)
    {
        if (!string.IsNullOrEmpty(code) && !Cohorts.Contains(code))
        {
            errors["cohort"] = $"The study has no cohort '{code}'.";
        }
    }

    public void CheckRole(string? role, IDictionary<string, string> errors)
    {
        if (!string.IsNullOrEmpty(role) && !Roles.Contains(role))
        {
            errors["role"] = $"No participant of the study has the role '{role}'.";
        }
    }

    /// <summary>
    /// The core's messages name the command-line option at fault ("--wave: ..."); on a page the
    /// message goes next to the field of that name instead.
    /// </summary>
    public static void AddCoreError(string error, IDictionary<string, string> errors, string fallbackField, IReadOnlyDictionary<string, string>? fieldOf = null)
    {
        if (error.StartsWith("--", StringComparison.Ordinal) && error.IndexOf(": ", StringComparison.Ordinal) is var colon and > 2)
        {
            var option = error[2..colon];
            var field = fieldOf?.GetValueOrDefault(option) ?? option;
            var message = error[(colon + 2)..];
            errors[field] = char.ToUpperInvariant(message[0]) + message[1..].Replace("--", "", StringComparison.Ordinal) + ".";
            return;
        }
        errors[fallbackField] = char.ToUpperInvariant(error[0]) + error[1..].Replace("--", "", StringComparison.Ordinal) + ".";
    }
}
