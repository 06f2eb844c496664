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
/// The `bounces` job: reads the bounce mailbox over IMAP, records what each message says
/// (<see cref="BounceParser"/>, <see cref="BounceRecorder"/>) and then moves it, never deletes it: to
/// the processed folder, or to the unparsed folder when it could not be read as a report about one
/// of our emails. Recording comes first and is idempotent, so a run that stops between the two
/// records nothing twice; an IMAP or database failure reaches Hangfire, which retries. At most
/// Bounces:BatchSize messages per read. When the server offers IDLE, a run that read less than a
/// full batch then waits up to Bounces:IdleFor (on <see cref="TimeProvider"/>'s clock) and reads each
/// new message as the server announces it; without IDLE the run ends and the next one polls.
/// Sign-in by password, or by an OAuth2 token (Bounces:Imap:OAuth, <see cref="BounceMailboxTokens"/>).
/// </summary>
public sealed class BounceJob(NpgsqlDataSource dataSource, IOptions<BounceOptions> options, TimeProvider clock, ILogger<BounceJob> logger,
    BounceMailboxTokens? tokens = null)
{
    public async Task<BounceRun> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var read = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!settings.ReadsMailbox)
        {
            return new BounceRun(read);
        }
        var idleUntil = clock.GetUtcNow() + settings.IdleFor;
        var parser = new BounceParser(VerpAddresses.From(settings)!);
        using var client = new ImapClient { Timeout = (int)settings.Imap.Timeout.TotalMilliseconds };
        await client.ConnectAsync(settings.Imap.Host, settings.Imap.Port, Security(settings.Imap.Security), cancellationToken);
        if (tokens?.Provider is { } provider)
        {
            await OAuthSignIn.AuthenticateAsync(client, provider, cancellationToken);
        }
        else if (!string.IsNullOrEmpty(settings.Imap.User))
        {
            await client.AuthenticateAsync(settings.Imap.User, settings.Imap.Password, cancellationToken);
        }
        var inbox = settings.Imap.Inbox.Equals("INBOX", StringComparison.OrdinalIgnoreCase)
            ? client.Inbox
            : await client.GetFolderAsync(settings.Imap.Inbox, cancellationToken);
        var processed = await FolderAsync(client, settings.Imap.ProcessedFolder, cancellationToken);
        var unparsed = await FolderAsync(client, settings.Imap.UnparsedFolder, cancellationToken);
        await inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var full = await ReadBatchAsync(inbox, processed, unparsed, parser, settings, read, cancellationToken);
        // A full batch leaves more waiting: the next run reads on rather than this one idling.
        while (!full && client.Capabilities.HasFlag(ImapCapabilities.Idle) && clock.GetUtcNow() < idleUntil
            && await IdleUntilArrivalAsync(client, inbox, idleUntil - clock.GetUtcNow(), cancellationToken))
        {
            full = await ReadBatchAsync(inbox, processed, unparsed, parser, settings, read, cancellationToken);
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

    /// <summary>Reads, records and moves up to a batch of what is in the inbox; true when it was a full batch.</summary>
    private async Task<bool> ReadBatchAsync(IMailFolder inbox, IMailFolder processed, IMailFolder unparsed, BounceParser parser, BounceOptions settings,
        Dictionary<string, int> read, CancellationToken cancellationToken)
    {
        var uids = (await inbox.SearchAsync(SearchQuery.NotDeleted, cancellationToken)).Take(settings.BatchSize).ToList();
        if (uids.Count == 0)
        {
            return false;
        }
        // A connection per batch, not per run: an idling run holds none.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var uid in uids)
        {
            using var message = await inbox.GetMessageAsync(uid, cancellationToken);
            var reading = parser.Read(message);
            var recorded = await BounceRecorder.RecordAsync(connection, reading, Hash(message), settings.SoftBouncesInARow, clock.GetUtcNow().UtcDateTime);
            var kind = recorded.Kind;
            read[kind] = read.GetValueOrDefault(kind) + 1;
            if (recorded.New)
            {
                BounceMetrics.Read(kind);
            }
            if (recorded.Undeliverable)
            {
                // The researcher's alert is the dashboard's undeliverable warning; this line is for the operator.
                logger.LogWarning("Bounce {Status} for message {MessageId}: participant {ParticipantId} flagged undeliverable",
                    reading.Status, reading.MessageId, recorded.ParticipantId);
            }
            await inbox.MoveToAsync(uid, kind == BounceKind.Unparsed ? unparsed : processed, cancellationToken);
        }
        return uids.Count >= settings.BatchSize;
    }

    /// <summary>IMAP IDLE until the server announces a message in the inbox (true) or <paramref name="wait"/> has passed (false).</summary>
    private async Task<bool> IdleUntilArrivalAsync(ImapClient client, IMailFolder inbox, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var done = new CancellationTokenSource(wait, clock);
        var arrived = false;
        void OnCountChanged(object? sender, EventArgs e)
        {
            // Expunges of what this run moved are announced too; only a message left in the inbox is news.
            if (inbox.Count > 0)
            {
                arrived = true;
                done.Cancel();
            }
        }
        inbox.CountChanged += OnCountChanged;
        logger.LogDebug("Bounce mailbox: idling for up to {Wait}", wait);
        try
        {
            await client.IdleAsync(done.Token, cancellationToken);
        }
        finally
        {
            inbox.CountChanged -= OnCountChanged;
        }
        return arrived;
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
