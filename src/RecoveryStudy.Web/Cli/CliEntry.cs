using System.CommandLine;
using RecoveryStudy.Database;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Cli;

/// <summary>The process's entry: picks the default verb, runs it and turns an unhandled error into one line on stderr.</summary>
public static class CliEntry
{
    /// <summary>The option that adds the stack trace to an unhandled error; accepted by every verb.</summary>
    public const string Verbose = "--verbose";

    public static async Task<int> RunAsync(string[] args)
    {
        // ops/recoverystudy VERB ...; no verb (or only host options such as --urls) means `serve`.
        if (args.Length == 0 || args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version"))
        {
            args = ["serve", .. args];
        }
        try
        {
            // Exceptions come here rather than to System.CommandLine's handler, which would print a stack trace for every one.
            return await CommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is EmbeddedClusterException or ProductionSettingsException)
        {
            // What to install or configure, one line per setting.
            await Console.Error.WriteLineAsync(e.Message);
            return 3;
        }
        catch (OperationCanceledException)
        {
            return 1;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync(args.Contains(Verbose)
                ? "Unhandled error: " + e
                : $"Unhandled error: {e.GetType().Name}: {OneLine(e.Message)} (run again with {Verbose} for the stack trace)");
            return 1;
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
