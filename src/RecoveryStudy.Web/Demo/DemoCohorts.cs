using System.Globalization;
using System.Text;
using RecoveryStudy.Protocol;

namespace RecoveryStudy.Web.Demo;

/// <summary>
/// The made-up cohorts and people of the demo, with dates counted from the day it runs, so that
/// the demo always has a finished follow-up, waves due now, reminders due and a cohort still to come.
/// </summary>
internal sealed record DemoCohort(string StudyCode, string Code, string Name, Dictionary<string, DateOnly> Anchors, int People, string[] Languages, DemoHistoryKind History);

/// <summary>What the demo writes for a cohort's waves whose due date has passed.</summary>
internal enum DemoHistoryKind
{
    /// <summary>Nothing: the scheduler plans and sends (waves due now).</summary>
    None,

    /// <summary>Closed waves answered or expired; an open wave left to the scheduler.</summary>
    Answered,

    /// <summary>Closed waves answered; the open wave's invitations sent on its due date, so reminders are due.</summary>
    AnsweredThenSent,
}

internal static class DemoCohorts
{
    public const string RaStudy = "ra-course";
    public const string FactStudy = "fact-peer";
    public const string ProgrammeStudy = "fact-programme";

    private static readonly string[] PolishFirst = ["Anna", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Marek", "Agnieszka", "Paweł", "Joanna", "Michał", "Ewa", "Krzysztof"];
    private static readonly string[] PolishLast = ["Nowak", "Kowalczyk", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zielińska", "Szymański", "Dąbrowska", "Mazur"];
    private static readonly string[] DanishFirst = ["Mette", "Lars", "Sofie", "Jens", "Camilla", "Mikkel", "Line", "Rasmus", "Anne", "Søren"];
    private static readonly string[] DanishLast = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen"];

    public static List<DemoCohort> For(DateOnly today)
    {
        DemoCohort Course(int edition, DateOnly end, DemoHistoryKind history) => new(RaStudy, $"ra-edition-{edition}", $"Recovery assistant course, edition {edition}",
            new() { ["course_start"] = end.AddDays(-120), ["course_end"] = end }, 12, ["pl", "pl", "pl", "en"], history);
        DemoCohort CourseStarting(int edition, DateOnly start) => new(RaStudy, $"ra-edition-{edition}", $"Recovery assistant course, edition {edition}",
            new() { ["course_start"] = start, ["course_end"] = start.AddDays(120) }, 12, ["pl", "pl", "en"], DemoHistoryKind.None);
        return
        [
            // Follow-up closed eight days ago: every wave answered or expired, ready for analysis.
            Course(1, today.AddMonths(-16).AddDays(-50), DemoHistoryKind.Answered),
            // Follow-up due today.
            Course(2, today.AddMonths(-16), DemoHistoryKind.Answered),
            // Post-course invitations went out five days ago: first reminders are due.
            Course(3, today.AddDays(-5), DemoHistoryKind.AnsweredThenSent),
            // Baseline due today (seven days before the course starts).
            CourseStarting(4, today.AddDays(7)),
            // Starts in two months: nothing due yet.
            CourseStarting(5, today.AddDays(60)),
            new(FactStudy, "fact-north", "FACT team North", new() { ["employment_start"] = today.AddMonths(-24).AddDays(3) }, 6, ["da", "da", "en"], DemoHistoryKind.Answered),
            new(FactStudy, "fact-south", "FACT team South", new() { ["employment_start"] = today.AddDays(-10) }, 6, ["da"], DemoHistoryKind.AnsweredThenSent),
            // The FACT programme: peer workers started (and patients were included) nearly two years ago in one team, thirteen months ago in the other.
            new(ProgrammeStudy, "team-aalborg", "FACT team Aalborg", Team(today.AddMonths(-24).AddDays(10)), 12, ["da", "da", "en"], DemoHistoryKind.Answered),
            new(ProgrammeStudy, "team-hjoerring", "FACT team Hjørring", Team(today.AddMonths(-13)), 12, ["da"], DemoHistoryKind.Answered),
        ];
    }

    // A programme team's date; its peer workers start and its patients are included on it too (their roster rows give no own dates).
    private static Dictionary<string, DateOnly> Team(DateOnly start) => new()
    {
        ["team_peer_start"] = start,
        ["employment_start"] = start,
        ["inclusion"] = start,
    };

    /// <summary>
    /// The role of the i-th (1-based) person of a programme team: 2 peer workers, 4 professionals, 6 patients,
    /// of whom the first four are selected for the patient interview.
    /// </summary>
    public static (string Role, bool Selected) ProgrammeMember(int i) => i switch
    {
        <= 2 => ("peer_worker", false),
        <= 6 => ("professional", false),
        _ => ("patient", i <= 10),
    };

    /// <summary>The seed protocol with the demo's cohorts added.</summary>
    public static ProtocolDocument WithCohorts(ProtocolDocument seed, IEnumerable<DemoCohort> cohorts) => seed with
    {
        Cohorts = [.. cohorts.Where(c => c.StudyCode == seed.Study.Code)
            .Select(c => new CohortDefinition { Code = c.Code, Name = c.Name, Anchors = new Dictionary<string, DateOnly>(c.Anchors) })],
    };

    /// <summary>A roster CSV of made-up people (addresses on example.org) for one study's demo cohorts.</summary>
    public static string Roster(string studyCode, IEnumerable<DemoCohort> cohorts)
    {
        var programme = studyCode == ProgrammeStudy;
        var csv = new StringBuilder(programme ? "code,email,name,first_name,language,cohort,role,flag_selected_for_interview\n" : "code,email,name,first_name,language,cohort\n");
        var index = 0;
        foreach (var (cohort, number) in cohorts.Where(c => c.StudyCode == studyCode).Select((c, n) => (c, n + 1)))
        {
            var danish = studyCode is FactStudy or ProgrammeStudy;
            for (var i = 1; i <= cohort.People; i++, index++)
            {
                var first = danish ? DanishFirst[index % DanishFirst.Length] : PolishFirst[index % PolishFirst.Length];
                var last = danish ? DanishLast[index * 7 % DanishLast.Length] : PolishLast[index * 7 % PolishLast.Length];
                var code = string.Create(CultureInfo.InvariantCulture, $"{(programme ? "FT" : danish ? "FP" : "RA")}-{number}{i:D2}");
                var email = $"{Ascii(first)}.{Ascii(last)}.{code}@example.org".ToLowerInvariant();
                csv.Append(CultureInfo.InvariantCulture, $"{code},{email},{first} {last},{first},{cohort.Languages[i % cohort.Languages.Length]},{cohort.Code}");
                csv.Append(programme ? Inv($",{ProgrammeMember(i).Role},{(ProgrammeMember(i).Selected ? 1 : 0)}\n") : "\n");
            }
        }
        return csv.ToString();
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Ascii(string name) => new([.. name.Normalize(NormalizationForm.FormD)
        .Replace("ł", "l", StringComparison.Ordinal).Replace("ø", "o", StringComparison.Ordinal)
        .Where(char.IsAsciiLetter)]);
}
