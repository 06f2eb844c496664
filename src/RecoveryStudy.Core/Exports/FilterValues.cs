using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>
/// The wave, cohort and role codes a study knows. A filter naming none of them selects nobody
/// and would give an empty file without a word, so every entry point (CLI, API, console) of the
/// exports and reports refuses it here, naming the option and the values it could have been.
/// </summary>
public sealed class FilterValues
{
    private FilterValues(IReadOnlyList<string> waves, IReadOnlyList<string> cohorts, IReadOnlyList<string> roles)
    {
        Waves = waves;
        Cohorts = cohorts;
        Roles = roles;
    }

    public IReadOnlyList<string> Waves { get; }
    public IReadOnlyList<string> Cohorts { get; }

    /// <summary>The roles the protocol declares and any a participant still carries.</summary>
    public IReadOnlyList<string> Roles { get; }

    public static async Task<FilterValues> LoadAsync(StudyDbContext db, StudyLayout layout, CancellationToken ct)
    {
        var cohorts = await db.Cohorts.AsNoTracking().Where(c => c.StudyId == layout.StudyId).Select(c => c.Code).ToListAsync(ct);
        var declared = await db.Studies.AsNoTracking().Where(s => s.Id == layout.StudyId).Select(s => s.Roles).SingleAsync(ct);
        var carried = await db.Participants.AsNoTracking().Where(p => p.StudyId == layout.StudyId).Select(p => p.Role).Distinct().ToListAsync(ct);
        return new FilterValues(
            [.. layout.Waves.Select(w => w.Code)],
            [.. cohorts.Order(StringComparer.Ordinal)],
            [.. declared.Select(r => r.Code).Union(carried).Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// One "--option: message" for each value the study does not know (the form of the core's
    /// other option errors); empty when every value given is known. A value left out (null) is no filter.
    /// </summary>
    public IReadOnlyList<string> Unknown(ParticipantFilter filter, params (string Option, string? Code)[] waves)
    {
        var problems = new List<string>();
        foreach (var (option, code) in waves)
        {
            Check(problems, option, "wave", code, Waves);
        }
        Check(problems, "cohort", "cohort", filter.Cohort, Cohorts);
        Check(problems, "role", "role", filter.Role, Roles);
        return problems;
    }

    private static void Check(List<string> problems, string option, string kind, string? value, IReadOnlyList<string> known)
    {
        if (value is not null && !known.Contains(value, StringComparer.Ordinal))
        {
            var listed = known.Count == 0 ? $"it has no {kind}s" : $"{kind}s: {string.Join(", ", known)}";
            problems.Add($"--{option}: the study has no {kind} '{value}' ({listed})");
        }
    }
}
