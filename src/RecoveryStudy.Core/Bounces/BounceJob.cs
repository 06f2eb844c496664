using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Bounces;

/// <summary>What one run of the `bounces` job read, by kind.</summary>
public sealed record BounceRun(IReadOnlyDictionary<string, int> Read)
{
    public int Count(string kind) => Read.GetValueOrDefault(kind);
}

/// <summary>
/// The `bounces` job: reads the bounce mailbox over IMAP (polling: each run reads what arrived
/// since), records what each message says (<see cref="BounceParser"/>, <see cref="BounceRecorder"/>)
/// and then moves it, never deletes it: to the processed folder, or to the unparsed folder when it
/// could not be read as a report about one of our emails. Recording comes first and is idempotent, so
/// a run that stops between the two records nothing twice; an IMAP or database failure reaches
/// Hangfire, which retries. At most Bounces:BatchSize messages per run.
/// </summary>
public sealed class BounceJob(NpgsqlDataSource dataSource, IOptions<BounceOptions> options, TimeProvider clock, ILogger<BounceJob> logger)
{
    public async Task<BounceRun> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var read = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!settings.ReadsMailbox)
        {
            return new BounceRun(read);
        }
        var parser = new BounceParser(VerpAddresses.From(settings)!);
        using var client = new ImapClient { Timeout = (int)settings.Imap.Timeout.TotalMilliseconds };
        await client.ConnectAsync(settings.Imap.Host, settings.Imap.Port, Security(settings.Imap.Security), cancellationToken);
        if (!string.IsNullOrEmpty(settings.Imap.User))
        {
            await client.AuthenticateAsync(settings.Imap.User, settings.Imap.Password, cancellationToken);
        }
        var inbox = settings.Imap.Inbox.Equals("INBOX", StringComparison.OrdinalIgnoreCase)
            ? client.Inbox
            : await client.GetFolderAsync(settings.Imap.Inbox, cancellationToken);
        var processed = await FolderAsync(client, settings.Imap.ProcessedFolder, cancellationToken);
        var unparsed = await FolderAsync(client, settings.Imap.UnparsedFolder, cancellationToken);
        await inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var uids = (await inbox.SearchAsync(SearchQuery.NotDeleted, cancellationToken)).Take(settings.BatchSize).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var uid in uids)
        {
            using var message = await inbox.GetMessageAsync(uid, cancellationToken);
            var reading = parser.Read(message);
            var recorded = await BounceRecorder.RecordAsync(connection, reading, Hash(message), settings.SoftBouncesInARow, clock.GetUtcNow().UtcDateTime);
            var kind = recorded.Kind;
            read[kind] = read.GetValueOrDefault(kind) + 1;
            if (recorded.Undeliverable)
            {
                // The researcher's alert is the dashboard's undeliverable warning; this line is for the operator.
                logger.LogWarning("Bounce {Status} for message {MessageId}: participant {ParticipantId} flagged undeliverable",
                    reading.Status, reading.MessageId, recorded.ParticipantId);
            }
            await inbox.MoveToAsync(uid, kind == BounceKind.Unparsed ? unparsed : processed, cancellationToken);
        }
        await client.DisconnectAsync(quit: true, cancellationToken);
        if (read.Count > 0)
        {
            logger.LogInformation("Bounce mailbox: read {Counts}", string.Join(", ", read.Select(r => r.Key + " " + r.Value)));
        }
        if (read.GetValueOrDefault(BounceKind.Forged) > 0 || read.GetValueOrDefault(BounceKind.Unparsed) > 0)
        {
            logger.LogWarning("Bounce mailbox: {Forged} forged report(s) (moved to {Processed}, nothing changed) and {Unparsed} unreadable message(s) (moved to {Unparsed})",
                read.GetValueOrDefault(BounceKind.Forged), settings.Imap.ProcessedFolder, read.GetValueOrDefault(BounceKind.Unparsed), settings.Imap.UnparsedFolder);
        }
        return new BounceRun(read);
    }

    private static SecureSocketOptions Security(string security) => Enum.Parse<SmtpSecurity>(security, ignoreCase: true) switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.SslOnConnect,
    };

    /// <summary>The folder of that name, created on first use.</summary>
    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        try
        {
            return await root.GetSubfolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            return await root.CreateAsync(name, isMessageFolder: true, cancellationToken)
                ?? throw new InvalidOperationException($"The IMAP server did not create the folder '{name}' (Bounces:Imap)");
        }
    }

    private static string Hash(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }
}
