using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Cli;

namespace RecoveryStudy.Tests.Cli;

/// <summary>An unexpected failure of a verb (here: no database at the configured address) as the operator sees it.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CliErrorTests
{
    // Nothing listens on port 1, so the verb's first database call fails.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=5";

    [Fact]
    public async Task An_unhandled_cli_error_prints_one_line_without_a_stack_trace()
    {
        var (code, error) = await RunAsync("migrate");
        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n'), l => l.StartsWith("Unhandled error: ", StringComparison.Ordinal));
        Assert.Contains("--verbose", line);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task With_verbose_an_unhandled_cli_error_prints_the_stack_trace()
    {
        var (code, error) = await RunAsync("migrate", "--verbose");
        Assert.Equal(1, code);
        Assert.Contains("Unhandled error: ", error);
        Assert.Contains("   at ", error);
    }

    private static async Task<(int Code, string Error)> RunAsync(params string[] args)
    {
        var error = new StringWriter();
        var (stdout, stderr) = (Console.Out, Console.Error);
        Console.SetOut(new StringWriter());
        Console.SetError(error);
        CliHost.Overrides = builder => builder.Configuration["ConnectionStrings:Main"] = Unreachable;
        try
        {
            return (await CliEntry.RunAsync(args), error.ToString());
        }
        finally
        {
            CliHost.Overrides = null;
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
