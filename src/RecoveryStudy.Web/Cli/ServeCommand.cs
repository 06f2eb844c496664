using System.CommandLine;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Cli;

/// <summary>`serve`: runs the web host and the job server; the default verb.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the web console, the participant pages and the job server (the default).");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Unmatched tokens are ASP.NET Core configuration, e.g. --urls http://127.0.0.1:5080
            await using var app = AppHost.Build([.. parse.UnmatchedTokens]);
            await app.MigrateIfConfiguredAsync();
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
