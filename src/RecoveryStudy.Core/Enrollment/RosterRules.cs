using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using RecoveryStudy.Participants;
using RecoveryStudy.Studies;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Enrollment;

/// <summary>What a roster is checked against: the study, its cohorts and waves, and who is enrolled already.</summary>
internal sealed record RosterContext(Study Study, List<Cohort> Cohorts, List<Wave> Waves, Dictionary<string, Participant> Existing, bool CreateCohorts);

/// <summary>
/// Checks every row of a roster and turns it into a <see cref="RosterEntry"/>; collects every
/// problem with its line and column instead of stopping at the first.
/// </summary>
internal static partial class RosterRules
{
    public static List<CsvProblem> CheckHeader(List<string> header, Study study, IReadOnlyCollection<string> flags)
    {
        var problems = new List<CsvProblem>();
        foreach (var required in new[] { "code", "email" }.Where(c => !header.Contains(c)))
        {
            problems.Add(new CsvProblem(1, required, "column is missing from the header"));
        }
        if (!header.Contains("role") && study.Roles.Count > 1)
        {
            problems.Add(new CsvProblem(1, "role", $"column is missing; the study has several roles ({string.Join(", ", study.Roles.Select(r => r.Code))})"));
        }
        foreach (var column in header.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            problems.Add(new CsvProblem(1, column, "column appears twice"));
        }
        var anchors = study.Anchors.Select(a => a.Code).ToList();
        foreach (var column in header.Distinct())
        {
            if (column.StartsWith(RosterReader.AnchorPrefix, StringComparison.Ordinal))
            {
                var anchor = column[RosterReader.AnchorPrefix.Length..];
                if (!anchors.Contains(anchor))
                {
                    problems.Add(new CsvProblem(1, column, $"unknown anchor '{anchor}'; the study's anchors: {string.Join(", ", anchors)}"));
                }
            }
            else if (column.StartsWith(RosterReader.FlagPrefix, StringComparison.Ordinal))
            {
                var flag = column[RosterReader.FlagPrefix.Length..];
                if (!flags.Contains(flag))
                {
                    problems.Add(new CsvProblem(1, column, flags.Count == 0
                        ? $"unknown flag '{flag}'; no wave of the study requires a flag"
                        : $"unknown flag '{flag}'; the flags the study's waves require: {string.Join(", ", flags)}"));
                }
            }
            else if (!RosterReader.Columns.Contains(column))
            {
                problems.Add(new CsvProblem(1, column.Length == 0 ? "header" : column,
                    $"unknown column; expected {string.Join(", ", RosterReader.Columns)} and {RosterReader.AnchorPrefix}<anchor> ({string.Join(", ", anchors.Select(a => RosterReader.AnchorPrefix + a))})"));
            }
        }
        return problems;
    }

    public static RosterEntry? CheckRow(RosterRow row, RosterContext context, List<CsvProblem> problems)
    {
        var study = context.Study;
        var before = problems.Count;
        void Problem(string field, string message) => problems.Add(new CsvProblem(row.Line, field, message));

        var code = row.Get("code");
        if (code.Length == 0)
        {
            Problem("code", "is empty; every participant needs a study code such as P-0042");
        }
        else if (code.Length > 64 || !CodePattern().IsMatch(code))
        {
            Problem("code", "must be at most 64 letters, digits, -, _ or . (no spaces)");
        }
        if (EmailAddressRules.Check(row.Get("email"), out var email) is { } emailProblem)
        {
            Problem("email", emailProblem);
        }
        var name = row.Get("name");
        if (name.Length > 200)
        {
            Problem("name", "must be at most 200 characters long");
        }
        var firstName = row.Get("first_name");
        if (firstName.Length > 100)
        {
            Problem("first_name", "must be at most 100 characters long");
        }
        var language = Or(row.Get("language").ToLowerInvariant(), study.DefaultLanguage);
        if (!study.Languages.Contains(language))
        {
            Problem("language", $"unknown language '{language}'; the study's languages: {string.Join(", ", study.Languages)}");
        }
        var timeZone = Or(row.Get("time_zone"), study.TimeZone);
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is null)
        {
            Problem("time_zone", $"unknown time zone '{timeZone}'; use an IANA name such as Europe/Warsaw");
        }
        var roles = study.Roles.Select(r => r.Code).ToList();
        var role = Or(row.Get("role"), roles.Count == 1 ? roles[0] : "");
        if (role.Length == 0)
        {
            Problem("role", $"is empty; the study's roles: {string.Join(", ", roles)}");
        }
        else if (!roles.Contains(role))
        {
            Problem("role", $"unknown role '{role}'; the study's roles: {string.Join(", ", roles)}");
        }
        var cohortCode = row.Get("cohort");
        var cohort = context.Cohorts.FirstOrDefault(c => c.Code == cohortCode);
        if (cohortCode.Length > 0 && cohort is null && !context.CreateCohorts)
        {
            Problem("cohort", $"unknown cohort '{cohortCode}'; the study's cohorts: {string.Join(", ", context.Cohorts.Select(c => c.Code))}");
        }
        var anchors = new Dictionary<string, DateOnly?>(StringComparer.Ordinal);
        var teamOnly = AnchorScope.TeamOnly(study);
        foreach (var (column, value) in row.Cells.Where(c => c.Key.StartsWith(RosterReader.AnchorPrefix, StringComparison.Ordinal)))
        {
            if (teamOnly.Contains(column[RosterReader.AnchorPrefix.Length..]) && value.Length > 0)
            {
                Problem(column, AnchorScope.Refusal(column[RosterReader.AnchorPrefix.Length..]));
            }
            else if (value.Length == 0)
            {
                anchors[column[RosterReader.AnchorPrefix.Length..]] = null;
            }
            else if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                anchors[column[RosterReader.AnchorPrefix.Length..]] = date;
            }
            else
            {
                Problem(column, $"'{value}' is not a date; write it as YYYY-MM-DD, such as 2026-03-01");
            }
        }
        var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (column, value) in row.Cells.Where(c => c.Key.StartsWith(RosterReader.FlagPrefix, StringComparison.Ordinal)))
        {
            if (FlagValue(value) is bool set)
            {
                flags[column[RosterReader.FlagPrefix.Length..]] = set;
            }
            else
            {
                Problem(column, $"'{value}' is not yes or no; write 1 (or yes) to set the flag, 0 (or no, or nothing) to clear it");
            }
        }
        if (problems.Count > before)
        {
            return null;
        }
        var existing = context.Existing.GetValueOrDefault(code);
        foreach (var wave in context.Waves.Where(w => w.Roles.Length == 0 || w.Roles.Contains(role)))
        {
            var hasDate = !teamOnly.Contains(wave.Anchor) && (anchors.TryGetValue(wave.Anchor, out var own) ? own is not null
                : existing?.Anchors.Any(a => a.Name == wave.Anchor) == true);
            if (!hasDate && cohort?.Anchors.Any(a => a.Name == wave.Anchor) != true && teamOnly.Contains(wave.Anchor))
            {
                var from = cohort is null ? "the participant has no cohort" : $"cohort '{cohort.Code}' does not give it";
                Problem("cohort", $"wave '{wave.Code}' needs the team-only anchor {wave.Anchor} for role {role}, which only a cohort gives, and {from}");
            }
            else if (!hasDate && cohort?.Anchors.Any(a => a.Name == wave.Anchor) != true)
            {
                var from = cohort is null ? "and the participant has no cohort" : $"and cohort '{cohort.Code}' does not give it";
                Problem(RosterReader.AnchorPrefix + wave.Anchor, $"is missing: wave '{wave.Code}' needs {wave.Anchor} for role {role}, {from}");
            }
        }
        return problems.Count > before ? null : new RosterEntry(row.Line, code, email, name.Length == 0 ? null : name,
            new FirstNameCell(row.Cells.ContainsKey("first_name"), firstName.Length == 0 ? null : firstName), language, timeZone, role, cohortCode.Length == 0 ? null : cohortCode, anchors, flags);
    }

    /// <summary>A code or an email used by two rows, or an email that belongs to another enrolled participant.</summary>
    public static void CheckDuplicates(List<RosterEntry> entries, IEnumerable<Participant> existing, List<CsvProblem> problems)
    {
        var codes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var emails = new Dictionary<string, int>(StringComparer.Ordinal);
        var fileCodes = entries.Select(e => e.Code).ToHashSet(StringComparer.Ordinal);
        var owners = existing.Where(p => p.Contact is not null).ToDictionary(p => p.Contact!.Email, p => p.Code, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!codes.TryAdd(entry.Code, entry.Line))
            {
                problems.Add(new CsvProblem(entry.Line, "code", $"duplicate code '{entry.Code}' (also on line {codes[entry.Code]})"));
            }
            if (!emails.TryAdd(entry.Email, entry.Line))
            {
                problems.Add(new CsvProblem(entry.Line, "email", $"duplicate email (also on line {emails[entry.Email]})"));
            }
            else if (owners.TryGetValue(entry.Email, out var owner) && owner != entry.Code && !fileCodes.Contains(owner))
            {
                problems.Add(new CsvProblem(entry.Line, "email", $"already belongs to participant {owner}"));
            }
        }
    }

    private static bool? FlagValue(string cell) => cell.ToLowerInvariant() switch
    {
        "1" or "yes" or "ja" or "tak" or "true" or "x" => true,
        "" or "0" or "no" or "nej" or "nie" or "false" => false,
        _ => null,
    };

    private static string Or(string value, string fallback) => value.Length == 0 ? fallback : value;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex CodePattern();
}
