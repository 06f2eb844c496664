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
    private DataScope(StudyNav nav, StudyLayout layout, FilterValues known)
    {
        Nav = nav;
        Layout = layout;
        Known = known;
    }

    public StudyNav Nav { get; }
    public StudyLayout Layout { get; }
    public FilterValues Known { get; }
    public IReadOnlyList<string> Cohorts => Known.Cohorts;
    public IReadOnlyList<string> Roles => Known.Roles;

    /// <summary>Null when there is no such study.</summary>
    public static async Task<DataScope?> LoadAsync(StudyDbContext db, int studyId, string current, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, current, ct) is not { } nav
            || await StudyLayout.LoadAsync(db, nav.StudyCode, ct, Console.ConsoleLanguage.Current) is not { } layout)
        {
            return null;
        }
        return new DataScope(nav, layout, await FilterValues.LoadAsync(db, layout, ct));
    }

    // An empty field is "all": no filter. Anything else the study does not know goes next to its field.
    public void CheckWave(string field, string? code, IDictionary<string, string> errors) =>
        AddUnknown(Known.Unknown(new ParticipantFilter(), (field, NullIfEmpty(code))), errors);

    public void CheckCohort(string? code, IDictionary<string, string> errors) =>
        AddUnknown(Known.Unknown(new ParticipantFilter(Cohort: NullIfEmpty(code))), errors);

    public void CheckRole(string? role, IDictionary<string, string> errors) =>
        AddUnknown(Known.Unknown(new ParticipantFilter(Role: NullIfEmpty(role))), errors);

    private static void AddUnknown(IReadOnlyList<string> unknown, IDictionary<string, string> errors)
    {
        foreach (var problem in unknown)
        {
            AddCoreError(problem, errors, "download");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

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
