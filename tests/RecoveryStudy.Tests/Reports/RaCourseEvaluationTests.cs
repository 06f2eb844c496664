using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

using static RecoveryStudy.Tests.Infrastructure.Builders.RaCourseGraduates;

namespace RecoveryStudy.Tests.Reports;

[Collection(nameof(ConsoleCollection))]
/// <summary>
/// The issue's acceptance: the 48 graduates' evaluations import with their gaps, dated by the
/// plan, and the distribution lists six points in order for every module and criterion.
/// </summary>
public sealed class RaCourseEvaluationTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("rs-ra-course-").FullName;

    public Task InitializeAsync() => RaCourseGraduates.SetUpAsync(database, folder);

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_seed_evaluation_imports_with_gaps_and_its_distribution_lists_six_points_for_every_module_and_criterion()
    {
        var import = await ImportAsync(database, folder);
        Assert.Contains($"Imported {Respondents} response(s)", import, StringComparison.Ordinal);
        var commEmpty = Enumerable.Range(0, Respondents).Count(i => Rating(i, 0, 0) is null);
        Assert.Contains($"  mod_comm_useful: {commEmpty} of {Respondents} empty\n", import, StringComparison.Ordinal);

        await using (var db = database.CreateContext())
        {
            // Dated by the plan: post_course is due on the course's last day, not on the day of the import.
            var dues = await db.Invitations.Where(i => i.Wave!.Code == "post_course").Select(i => i.DueDate).Distinct().ToListAsync();
            Assert.Equal([CourseEnd], dues);
        }

        var text = await RunOkAsync(database, "distribution", "--study", Seeds.RaCourse, "--wave", "post_course", "--instrument", "course_eval");
        var blocks = text.Split("\ncourse_eval.").Select(b => b.TrimStart('\n')).ToDictionary(b => b.Replace("course_eval.", "", StringComparison.Ordinal)[..b.Replace("course_eval.", "", StringComparison.Ordinal).IndexOf(':', StringComparison.Ordinal)]);
        for (var m = 0; m < Modules.Length; m++)
        {
            for (var c = 0; c < Criteria.Length; c++)
            {
                var code = $"mod_{Modules[m]}_{Criteria[c]}";
                Assert.True(blocks.TryGetValue(code, out var block), $"no distribution of {code}");
                var values = Enumerable.Range(0, Respondents).Select(i => Rating(i, m, c)).OfType<int>().ToList();
                var n = values.Count;
                var top = 100.0 * values.Count(v => v >= 5) / n;
                Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"(n = {n}, top-2-box {top:0.0}% [5,6])"), block, StringComparison.Ordinal);
                Assert.Contains($"  invited {Respondents}, answered the instrument {Respondents}, valid n = {n}; percent of the {n} valid answers\n", block, StringComparison.Ordinal);
                var points = block.Split('\n').Skip(3).Take(6).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
                Assert.Equal(["1", "2", "3", "4", "5", "6"], points.Select(p => p[0]));
                Assert.Equal(Enumerable.Range(1, 6).Select(v => values.Count(x => x == v).ToString(CultureInfo.InvariantCulture)), points.Select(p => p[2]));
                if (Modules[m] == "selfadv")
                {
                    Assert.Contains($"missing: {Respondents / 3} not shown by a condition", block, StringComparison.Ordinal);
                }
            }
        }
    }
}

/// <summary>The R script and SPSS syntax of the imported evaluation keep the unlabelled points 2-5 (run in Rscript and PSPP).</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class RaCourseScriptTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("rs-ra-course-").FullName;

    public Task InitializeAsync() => RaCourseGraduates.SetUpAsync(database, folder);

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_r_script_and_spss_syntax_keep_the_unlabelled_points_2_to_5()
    {
        await EnsureImportedAsync(database, folder);
        var request = new ExportRequest(TableKind.Wide, "post_course");
        await using var db = database.CreateContext();
        var layout = (await StudyLayout.LoadAsync(db, Seeds.RaCourse, CancellationToken.None))!;
        var table = DatasetExport.CreateTable(layout, request).Table!;
        await File.WriteAllBytesAsync(Path.Combine(folder, table.Name + ".csv"), await ExportRunner.ExportAsync(database, Seeds.RaCourse, request));
        await File.WriteAllTextAsync(Path.Combine(folder, table.Name + ".R"), RScript.For(table), new UTF8Encoding(false));
        await File.WriteAllTextAsync(Path.Combine(folder, table.Name + ".sps"), SpssSyntax.For(table), new UTF8Encoding(false));

        var values = Enumerable.Range(0, Respondents).Select(i => Rating(i, 0, 0)).ToList();
        string Count(int point) => values.Count(v => v == point).ToString(CultureInfo.InvariantCulture);
        var inner = values.Count(v => v is >= 2 and <= 5);
        await File.WriteAllTextAsync(Path.Combine(folder, "check.R"), $$"""
            source("{{table.Name}}.R")
            f <- d$mod_comm_useful_f
            stopifnot(nlevels(f) == 6, identical(levels(f)[2:5], c("2", "3", "4", "5")))
            stopifnot(sum(is.na(d$mod_comm_useful)) == {{values.Count(v => v is null)}}, sum(is.na(f)) == {{values.Count(v => v is null)}})
            stopifnot(all(as.vector(table(f)) == c({{string.Join(", ", Enumerable.Range(1, 6).Select(Count))}})))
            stopifnot(sum(d$mod_comm_useful >= 2 & d$mod_comm_useful <= 5, na.rm = TRUE) == {{inner}})
            stopifnot(as.character(why_missing$mod_selfadv_useful[1]) == "not shown by a condition")
            cat("checks passed\n")
            """);
        var (rExit, rOutput) = await ExternalTool.RunAsync("Rscript", folder, "check.R");
        Assert.True(rExit == 0, rOutput);
        Assert.Contains("checks passed", rOutput);

        await File.WriteAllTextAsync(Path.Combine(folder, "run.sps"), $"INCLUDE FILE='{table.Name}.sps'.\n" + """
            COMPUTE inner = RANGE(mod_comm_useful, 2, 5).
            COMPUTE grp = 1.
            AGGREGATE OUTFILE=* /BREAK=grp /inner_n = SUM(inner) /valid_n = NU(mod_comm_useful).
            FORMATS inner_n valid_n (F4.0).
            LIST.
            """, new UTF8Encoding(false));
        var (spssExit, spssOutput) = await ExternalTool.RunAsync("pspp", folder, "-O", "box=ascii", "run.sps");
        Assert.True(spssExit == 0, spssOutput);
        Assert.DoesNotContain("error", spssOutput, StringComparison.OrdinalIgnoreCase);
        // LIST prints | grp | inner_n | valid_n |: the points 2-5 counted as valid values, not lost to missing.
        Assert.Matches($@"\|\s*{inner}\s*\|\s*{values.Count(v => v is not null)}\s*\|", spssOutput);
    }
}
