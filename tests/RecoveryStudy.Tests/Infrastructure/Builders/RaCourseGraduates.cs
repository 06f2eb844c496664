using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>
/// The acceptance data: the RA course seed as shipped (modules rated 1-6, only the ends
/// labelled), 48 graduates enrolled with their course dates, and their course evaluations as
/// another tool's CSV, with some items left empty and the self-advocacy gate honoured.
/// </summary>
public static class RaCourseGraduates
{
    public static readonly string[] Modules = ["comm", "cogdist", "ethics", "illness", "coop", "recovery", "selfadv", "insight"];
    public static readonly string[] Criteria = ["useful", "teachers", "attractive", "accessible"];
    public static readonly DateOnly CourseEnd = new(2026, 6, 26);
    public const int Respondents = 48;

    /// <summary>The answer of respondent i to module m's criterion c: null for an item left empty or hidden by the gate.</summary>
    public static int? Rating(int i, int m, int c) =>
        Modules[m] == "selfadv" && !TookSelfAdvocacy(i) ? null
        : (i + 4 * m + c) % 23 == 0 ? null
        : 1 + (i * (m + 2) + 5 * c + i / 3) % 6;

    public static bool TookSelfAdvocacy(int i) => i % 3 != 0;

    /// <summary>Imports the seed, enrols the graduates and writes their answers to graduates.csv in the folder.</summary>
    public static async Task SetUpAsync(DatabaseFixture database, string folder)
    {
        await using var db = database.CreateContext();
        // Once per test class: its tests share the class's database.
        if (!await db.Studies.AnyAsync(s => s.Code == Seeds.RaCourse))
        {
            var imported = await new ProtocolImporter(db, TimeProvider.System).ImportAsync(Seeds.Read(Seeds.RaCourse), Actor.Cli, CancellationToken.None);
            Assert.True(imported.Succeeded, string.Join("; ", imported.Problems));
            var study = await db.Studies.SingleAsync(s => s.Id == imported.StudyId);
            var builder = new StudyBuilder(db);
            for (var i = 0; i < Respondents; i++)
            {
                await builder.ParticipantAsync(study, $"RA-{i + 1:000}", new DateOnly(2026, 1, 10),
                    new Dictionary<string, DateOnly> { ["course_start"] = new(2026, 1, 15), ["course_end"] = CourseEnd });
            }
        }
        var columns = Modules.SelectMany(m => Criteria.Select(c => $"mod_{m}_{c}")).Append("mod_selfadv_taken").Append("recommend").ToList();
        var csv = new StringBuilder("participant,completed_at,").AppendJoin(',', columns).Append('\n');
        for (var i = 0; i < Respondents; i++)
        {
            var cells = Modules.SelectMany((_, m) => Criteria.Select((_, c) => Rating(i, m, c)?.ToString(CultureInfo.InvariantCulture) ?? ""))
                .Append(TookSelfAdvocacy(i) ? "1" : "0").Append((1 + i % 5).ToString(CultureInfo.InvariantCulture));
            csv.Append(CultureInfo.InvariantCulture, $"RA-{i + 1:000},2026-07-0{1 + i % 9}T10:00:00Z,").AppendJoin(',', cells).Append('\n');
        }
        await File.WriteAllTextAsync(Path.Combine(folder, "graduates.csv"), csv.ToString());
    }

    public static async Task<string> RunOkAsync(DatabaseFixture database, params string[] args)
    {
        var (code, output, error) = await CliRun.RunAsync(database.ConnectionString, null, args);
        Assert.True(code == 0, $"exit {code}: {error}");
        return output;
    }

    public static Task<string> ImportAsync(DatabaseFixture database, string folder) =>
        RunOkAsync(database, "answers", "import", Path.Combine(folder, "graduates.csv"), "--study", Seeds.RaCourse, "--wave", "post_course", "--instrument", "course_eval");

    /// <summary>Imports the evaluations unless an earlier test of the class did.</summary>
    public static async Task EnsureImportedAsync(DatabaseFixture database, string folder)
    {
        await using var db = database.CreateContext();
        if (!await db.Responses.AnyAsync(r => r.Source == "import"))
        {
            await ImportAsync(database, folder);
        }
    }
}
