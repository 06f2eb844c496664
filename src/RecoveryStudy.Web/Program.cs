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
    return await CommandLine.Create().Parse(args).InvokeAsync();
}
catch (PostgresNotInstalledException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 3;
}

public partial class Program;
