using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// `mail dispatch`: sends what is due now, as the recurring `dispatch` job does (batch after batch
/// until nothing is due or Mail:RunBudget is spent), with the configured transport and rate limit.
/// Safe next to running hosts: claims are shared through the database. Reads the configuration
/// the host reads (see <see cref="CliHost"/>), so its links carry the configured App:PublicBaseUrl.
/// </summary>
internal static class MailCommand
{
    public static Command Create()
    {
        var mail = new Command("mail", "Outgoing email.");
        var dispatch = new Command("dispatch", "Send the messages that are due now (what the dispatch job does each minute) and print how many went out.");
        // Configuration arguments (--App:PublicBaseUrl=..., --Mail:Transport=...) as `serve` takes them.
        dispatch.TreatUnmatchedTokensAsErrors = false;
        dispatch.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
        {
            var sent = await services.GetRequiredService<DispatchJob>().RunAsync(ct);
            Console.WriteLine($"Sent {sent} message(s).");
            return 0;
        }, cancellationToken, builder => builder.AddMail(), parse.UnmatchedTokens));
        mail.Subcommands.Add(dispatch);
        return mail;
    }
}
