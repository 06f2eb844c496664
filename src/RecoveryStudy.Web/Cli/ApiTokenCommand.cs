using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Api;

namespace RecoveryStudy.Web.Cli;

/// <summary>`api-token issue --email E --name N`: a token for the JSON/CSV API, printed once.</summary>
internal static class ApiTokenCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Required = true, Description = "The staff account the token acts for." };
        var name = new Option<string>("--name") { Description = "What the token is for (e.g. 'laptop R').", DefaultValueFactory = _ => "api" };
        var issue = new Command("issue", "Issue an API token for an analyst, researcher or admin; shown once, only its hash is stored.") { email, name };
        issue.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var db = services.GetRequiredService<StudyDbContext>();
            await db.Database.MigrateAsync(ct);
            var address = parse.GetValue(email)!.Trim().ToLowerInvariant();
            var user = await db.StaffUsers.SingleOrDefaultAsync(u => u.Email == address && !u.Disabled, ct);
            if (user is null)
            {
                await Console.Error.WriteLineAsync("--email: no active staff account with that address");
                return 1;
            }
            var token = await ApiTokenAuth.IssueAsync(db, services.GetRequiredService<TimeProvider>(), Actor.Cli, user, parse.GetValue(name)!, ct);
            Console.WriteLine($"API token (shown once; send it as 'Authorization: Bearer TOKEN'): {token}");
            return 0;
        }, cancellationToken, StandardOutput.KeepClean));
        var command = new Command("api-token", "Tokens for the JSON/CSV API under /api/.");
        command.Subcommands.Add(issue);
        return command;
    }
}
