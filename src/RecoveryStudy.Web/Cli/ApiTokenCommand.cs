using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Api;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// `api-token issue --email E [--name N] [--expires-in-days N | --expires DATE]` (printed once),
/// `api-token list [--email E]` and `api-token revoke --id N`.
/// </summary>
internal static class ApiTokenCommand
{
    public static Command Create()
    {
        var command = new Command("api-token", "Tokens for the JSON/CSV API under /api/.");
        command.Subcommands.Add(Issue());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command Issue()
    {
        var email = new Option<string>("--email") { Required = true, Description = "The staff account the token acts for." };
        var name = new Option<string>("--name") { Description = "What the token is for (e.g. 'laptop R').", DefaultValueFactory = _ => "api" };
        var inDays = new Option<int?>("--expires-in-days") { Description = "Refused this many days from now (1-3650)." };
        var on = new Option<DateOnly?>("--expires") { Description = "Refused from the start (00:00 UTC) of this date (yyyy-MM-dd)." };
        var issue = new Command("issue", "Issue an API token for an analyst, researcher or admin; shown once, only its hash is stored. Without an expiry it lasts until revoked.")
        {
            email, name, inDays, on,
        };
        issue.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
        {
            var clock = services.GetRequiredService<TimeProvider>();
            var (expiresAt, problem) = Expiry(parse.GetValue(inDays), parse.GetValue(on), clock.GetUtcNow().UtcDateTime);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }
            var db = services.GetRequiredService<StudyDbContext>();
            var address = StaffSignIn.Address(parse.GetValue(email)!);
            var user = await db.StaffUsers.SingleOrDefaultAsync(u => u.Email == address && !u.Disabled, ct);
            if (user is null)
            {
                await Console.Error.WriteLineAsync("--email: no active staff account with that address");
                return 1;
            }
            var token = await ApiTokenAuth.IssueAsync(db, clock, Actor.Cli, user, parse.GetValue(name)!, expiresAt, ct);
            Console.WriteLine($"API token (shown once; send it as 'Authorization: Bearer TOKEN'): {token}");
            return 0;
        }, cancellationToken, StandardOutput.KeepClean));
        return issue;
    }

    private static Command List()
    {
        var email = new Option<string?>("--email") { Description = "Only this staff account's tokens." };
        var list = new Command("list", "List API tokens (never their values): id, account, name, issued, expires, last used, state.") { email };
        list.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
        {
            var db = services.GetRequiredService<StudyDbContext>();
            int? userId = null;
            if (parse.GetValue(email) is string given)
            {
                var address = StaffSignIn.Address(given);
                userId = await db.StaffUsers.Where(u => u.Email == address).Select(u => (int?)u.Id).SingleOrDefaultAsync(ct);
                if (userId is null)
                {
                    await Console.Error.WriteLineAsync("--email: no staff account with that address");
                    return 1;
                }
            }
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var tokens = await ApiTokens.ListAsync(db, userId, ct);
            Console.WriteLine("id account name issued expires last-used state (times UTC)");
            foreach (var t in tokens)
            {
                Console.WriteLine(string.Join("  ", t.Id.ToString(CultureInfo.InvariantCulture), t.Email, $"'{t.Name}'",
                    When(t.CreatedAt), t.ExpiresAt is null ? "no-expiry" : When(t.ExpiresAt), t.LastUsedAt is null ? "never" : When(t.LastUsedAt), t.State(now)));
            }
            return 0;
        }, cancellationToken, StandardOutput.KeepClean));
        return list;
    }

    private static Command Revoke()
    {
        var id = new Option<int>("--id") { Required = true, Description = "The token's id (see `api-token list`)." };
        var revoke = new Command("revoke", "Revoke an API token: it is refused from now on.") { id };
        revoke.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
        {
            var db = services.GetRequiredService<StudyDbContext>();
            var tokenId = parse.GetValue(id);
            var outcome = await ApiTokens.RevokeAsync(db, services.GetRequiredService<TimeProvider>(), Actor.Cli, tokenId, ownerOnly: null, ct);
            if (outcome != ApiTokens.RevokeOutcome.Revoked)
            {
                await Console.Error.WriteLineAsync(outcome == ApiTokens.RevokeOutcome.NotFound
                    ? $"--id: no API token {tokenId}"
                    : $"API token {tokenId} is already revoked.");
                return 1;
            }
            Console.WriteLine($"Revoked API token {tokenId}.");
            return 0;
        }, cancellationToken));
        return revoke;
    }

    /// <summary>The expiry moment from either option, or why the options are refused.</summary>
    private static (DateTime? At, string? Problem) Expiry(int? inDays, DateOnly? on, DateTime now)
    {
        if (inDays is not null && on is not null)
        {
            return (null, "Give either --expires or --expires-in-days, not both.");
        }
        if (inDays is int days)
        {
            return days is >= 1 and <= 3650 ? (now.AddDays(days), null) : (null, "--expires-in-days: must be between 1 and 3650");
        }
        if (on is DateOnly date)
        {
            var at = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return at > now ? (at, null) : (null, $"--expires: {date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is not after today (UTC)");
        }
        return (null, null);
    }

    private static string When(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";
}
