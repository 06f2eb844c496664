using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Cli;

namespace RecoveryStudy.Tests.Cli;

/// <summary>
/// The report verbs through the real CLI entry point against the analyst study: what goes to
/// standard output in each format, and a clear error with a non-zero exit code for bad arguments.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ReportCommandTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Compare_prints_the_pairs_as_text_json_and_csv()
    {
        string[] args = ["compare", "--study", study, "--from", "baseline", "--to", "followup", "--item", "wb1"];

        var text = await RunOkAsync(args);
        var json = await RunOkAsync([.. args, "--format", "json"]);
        var csv = await RunOkAsync([.. args, "--format", "csv"]);

        Assert.Contains("participants ", text, StringComparison.Ordinal);
        Assert.Contains(", pairs 2, left out ", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var result = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("wb1", result.GetProperty("variable").GetString());
        Assert.Equal(2, result.GetProperty("result").GetProperty("pairs").GetInt32());
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var header = lines[0].Split(',').ToList();
        var row = lines[1].Split(',');
        Assert.Equal(("wb1", "baseline", "followup", "2"),
            (row[header.IndexOf("variable")], row[header.IndexOf("from")], row[header.IndexOf("to")], row[header.IndexOf("pairs")]));
    }

    [Fact]
    public async Task Compare_with_one_complete_pair_counts_it_and_lists_who_was_left_out_in_text_and_csv()
    {
        string[] args = ["compare", "--study", study, "--from", "baseline", "--to", "post", "--item", "wb1"];

        var text = await RunOkAsync(args);
        var csv = await RunOkAsync([.. args, "--format", "csv"]);

        Assert.Contains("  participants 6, pairs 1, left out 5:\n", text, StringComparison.Ordinal);
        Assert.Contains("no value at post: not invited\n", text, StringComparison.Ordinal);
        Assert.Contains("fewer than two pairs: no statistics", text, StringComparison.Ordinal);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        var row = Csv.Parse(csv).Rows.Single();
        Assert.Equal("1", row[header.IndexOf("pairs")]);
        Assert.Contains("no value at post: not invited", row[header.IndexOf("left_out_reasons")], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Distribution_prints_each_rated_item_as_text_json_and_csv()
    {
        string[] args = ["distribution", "--study", study, "--wave", "baseline", "--instrument", "wellbeing"];

        var text = await RunOkAsync(args);
        var json = await RunOkAsync([.. args, "--format", "json"]);
        var csv = await RunOkAsync([.. args, "--format", "csv"]);

        Assert.Contains("wellbeing.wb1: I have felt cheerful  (n = ", text, StringComparison.Ordinal);
        Assert.Contains("  invited 6, answered the instrument 5, valid n = 5; percent of the 5 valid answers\n", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Contains(document.RootElement.EnumerateArray(), d => d.GetProperty("item").GetString() == "wb1");
        Assert.DoesNotContain(document.RootElement.EnumerateArray(), d => d.GetProperty("instrument").GetString() != "wellbeing");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("instrument,item,invited,answered,n,base,code,label,count,percent,top2box,top2box_codes", lines[0]);
        // wb1 is a 0-5 scale: one line per option.
        Assert.Equal(6, lines.Count(l => l.StartsWith("wellbeing,wb1,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Responses_prints_every_wave_as_text_json_and_csv()
    {
        string[] args = ["responses", "--study", study];

        var text = await RunOkAsync(args);
        var json = await RunOkAsync([.. args, "--format", "json"]);
        var csv = await RunOkAsync([.. args, "--format", "csv"]);

        Assert.StartsWith($"Responses of {study}\n", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(study, document.RootElement.GetProperty("study").GetString());
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("wave,cohort,eligible,", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",(all)", l, StringComparison.Ordinal));
        var trainees = (await RunOkAsync([.. args, "--role", "trainee", "--format", "csv"])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(trainees.Skip(1));
        Assert.All(trainees.Skip(1), l => Assert.EndsWith(",trainee", l, StringComparison.Ordinal));
        Assert.All(["baseline", "post", "followup"], wave => Assert.Contains(lines, l => l.StartsWith(wave + ",", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Export_writes_the_table_and_its_codebook_to_files()
    {
        var folder = Directory.CreateTempSubdirectory("rs-cli-export-").FullName;
        try
        {
            await RunOkAsync("export", "--study", study, "--format", "wide", "--wave", "baseline", "--out", Path.Combine(folder, "wide.csv"));
            await RunOkAsync("export", "--study", study, "--format", "codebook", "--wave", "baseline", "--out", Path.Combine(folder, "codebook.csv"));
            var wide = Csv.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "wide.csv")));
            var codebook = await File.ReadAllTextAsync(Path.Combine(folder, "codebook.csv"));

            Assert.Equal(["participant", "cohort", "role", "participant_status"], wide.Header.Take(4));
            Assert.Equal("68", wide.Value("P-0001", "who5_pct"));
            Assert.Contains("\nwho5_pct,", codebook, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--to: the study has no wave 'month99' (waves: baseline, post, followup)", "compare", "--from", "baseline", "--to", "month99")]
    [InlineData("'xml'", "distribution", "--wave", "baseline", "--format", "xml")]
    [InlineData("--study: no such study", "responses", "--study", "nostudy")]
    [InlineData("--wave: the wide table is per wave; name the wave", "export", "--format", "wide")]
    public async Task A_bad_argument_gives_a_clear_error_and_a_non_zero_exit_code(string message, string verb, params string[] rest)
    {
        string[] args = rest.Contains("--study") ? [verb, .. rest] : [verb, "--study", study, .. rest];

        var (code, output, error) = await RunAsync(args);

        Assert.NotEqual(0, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain(message, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cohort: the study has no cohort 'c7' (cohorts: c8, c9)", "export", "--format", "long", "--cohort", "c7")]
    [InlineData("--role: the study has no role 'nurse' (roles: peer_worker, trainee)", "export", "--format", "wide-across", "--role", "nurse")]
    [InlineData("--wave: the study has no wave 'month99' (waves: baseline, post, followup)", "export", "--format", "long", "--wave", "month99")]
    [InlineData("--cohort: the study has no cohort 'c7' (cohorts: c8, c9)", "compare", "--from", "baseline", "--to", "followup", "--cohort", "c7")]
    [InlineData("--role: the study has no role 'nurse' (roles: peer_worker, trainee)", "compare", "--from", "baseline", "--to", "followup", "--role", "nurse")]
    [InlineData("--role: the study has no role 'nurse' (roles: peer_worker, trainee)", "responses", "--role", "nurse")]
    [InlineData("--cohort: the study has no cohort 'c7' (cohorts: c8, c9)", "distribution", "--wave", "baseline", "--cohort", "c7")]
    [InlineData("--wave: the study has no wave 'month99' (waves: baseline, post, followup)", "distribution", "--wave", "month99")]
    public async Task An_unknown_wave_cohort_or_role_is_named_with_the_known_values_instead_of_an_empty_result(string message, string verb, params string[] rest)
    {
        var (code, output, error) = await RunAsync([verb, "--study", study, .. rest]);

        Assert.Equal(1, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Export_with_raw_text_is_audited_as_such()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("rs-cli-raw-").FullName, "wide.csv");
        try
        {
            await RunOkAsync("export", "--study", study, "--format", "wide", "--wave", "baseline", "--raw-text", "--out", file);
            Assert.Equal("68", Csv.Parse(await File.ReadAllTextAsync(file)).Value("P-0001", "who5_pct"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
        await using var db = database.CreateContext();
        var details = await db.AuditEntries.Where(a => a.Action == "data.export").OrderBy(a => a.Id).Select(a => a.Details).ToListAsync();
        Assert.Contains("\"raw_text\":true", (details[^1] ?? "").Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private async Task<string> RunOkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.True(code == 0, $"exit {code}: {error}");
        return output;
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var (stdout, stderr) = (Console.Out, Console.Error);
        var before = Environment.GetEnvironmentVariable("ConnectionStrings__Main");
        Console.SetOut(output);
        Console.SetError(error);
        Environment.SetEnvironmentVariable("ConnectionStrings__Main", database.ConnectionString);
        try
        {
            var code = await CommandLine.Create().Parse(args).InvokeAsync();
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("ConnectionStrings__Main", before);
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
