using System.CommandLine;
using RecoveryStudy.Database;
using RecoveryStudy.Web.Cli;

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
catch (EmbeddedClusterException e)
{
    // What to install or configure, said in one line.
    await Console.Error.WriteLineAsync(e.Message);
    return 3;
}
catch (OperationCanceledException)
{
    return 1;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync("Unhandled exception: " + e);
    return 1;
}

public partial class Program;
