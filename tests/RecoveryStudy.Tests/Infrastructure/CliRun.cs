using RecoveryStudy.Web.Cli;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// Runs a verb through the real command line (parsing, host, database, output streams) against a
/// test database and, when given, a test clock. Only for tests in <see cref="ConsoleCollection"/>.
/// </summary>
public static class CliRun
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(string connectionString, TimeProvider? clock, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var (stdout, stderr) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        CliHost.Overrides = builder =>
        {
            builder.Configuration["ConnectionStrings:Main"] = connectionString;
            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }
        };
        try
        {
            var code = await CommandLine.Create().Parse(args).InvokeAsync();
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            CliHost.Overrides = null;
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
