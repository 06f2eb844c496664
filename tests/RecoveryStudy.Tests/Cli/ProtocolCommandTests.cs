using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Cli;

namespace RecoveryStudy.Tests.Cli;

/// <summary>The `protocol validate` verb, which needs no database: output streams and exit codes.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ProtocolCommandTests
{
    [Fact]
    public async Task Validate_prints_problems_to_stderr_and_exits_non_zero()
    {
        var file = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, MiniProtocol.With(d => MiniProtocol.Wave(d, 1)["offset"]!["months"] = 121));
        try
        {
            var (code, output, error) = await RunAsync("protocol", "validate", file);
            Assert.Equal(1, code);
            Assert.Equal("", output);
            Assert.Contains("$.waves[1].offset.months: must be a whole number from 0 to 120", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Validate_accepts_a_seed_and_exits_zero()
    {
        var (code, output, _) = await RunAsync("protocol", "validate", Path.Combine(Seeds.Folder, "ra-course.study.json"));
        Assert.Equal(0, code);
        Assert.StartsWith("Valid: study 'ra-course'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_exits_non_zero()
    {
        var (code, _, error) = await RunAsync("protocol", "validate", "no-such-file.json");
        Assert.Equal(2, code);
        Assert.Contains("was not found", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var (stdout, stderr) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await CommandLine.Create().Parse(args).InvokeAsync();
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
