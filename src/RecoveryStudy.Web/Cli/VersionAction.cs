using System.CommandLine;
using System.CommandLine.Invocation;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// `--version` prints this build's version, as /health and the console footer do, rather than
/// System.CommandLine's default (the entry assembly's, which is not this one under a test runner).
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public static void Use(RootCommand root) =>
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();

    public override int Invoke(ParseResult parseResult)
    {
        Console.Out.WriteLine(AppVersion.Text);
        return 0;
    }
}
