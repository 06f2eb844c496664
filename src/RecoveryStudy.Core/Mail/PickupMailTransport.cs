using MimeKit;

namespace RecoveryStudy.Mail;

/// <summary>
/// Writes each email as an .eml file into a folder (the local default, for demos and for a
/// relay that picks files up). A file appears whole or not at all: it is written under a temporary
/// name a pickup relay ignores, flushed to the disk, then renamed into place in one step; temporary
/// files left by a process that died mid-write are removed when a session opens. With an
/// <paramref name="envelopeSender"/> (VERP), the file carries it as Return-Path, the header a
/// pickup relay takes the envelope sender from.
/// </summary>
public sealed class PickupMailTransport(string folder, Func<MimeMessage, MailboxAddress?>? envelopeSender = null) : IMailTransport
{
    /// <summary>Temporary files end so; a pickup relay takes only *.eml.</summary>
    public const string TemporarySuffix = ".eml.tmp";

    /// <summary>A temporary file older than this was left by a writer that died (a write takes milliseconds).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    public string RelayName => MailOptions.PickupTransport;

    public Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(folder);
            RemoveStaleTemporaryFiles(folder, DateTime.UtcNow - StaleAfter);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MailRelayUnreachableException("pickup folder cannot be created: " + e.Message, e);
        }
        return Task.FromResult<IMailSession>(new Session(folder, envelopeSender));
    }

    /// <summary>Removes temporary files last written before <paramref name="before"/>; returns how many.</summary>
    public static int RemoveStaleTemporaryFiles(string folder, DateTime before)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*" + TemporarySuffix))
        {
            if (File.GetLastWriteTimeUtc(file) < before)
            {
                File.Delete(file);
                removed++;
            }
        }
        return removed;
    }

    private sealed class Session(string folder, Func<MimeMessage, MailboxAddress?>? envelopeSender) : IMailSession
    {
        public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            if (envelopeSender?.Invoke(message) is { } sender)
            {
                message.Headers[HeaderId.ReturnPath] = "<" + sender.Address + ">";
            }
            var name = string.Concat((message.MessageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId()).Split(Path.GetInvalidFileNameChars()));
            var path = Path.Combine(folder, name + ".eml");
            // Unique per attempt, so two writers of one message never share a temporary file.
            var temporary = Path.Combine(folder, $"{name}.{Guid.NewGuid().ToString("N")[..8]}{TemporarySuffix}");
            try
            {
                await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16_384, useAsync: true))
                {
                    await message.WriteToAsync(stream, cancellationToken);
                    await stream.FlushAsync(cancellationToken);
                    // On the disk before the name appears: a crash after the rename never leaves a short file.
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temporary, path, overwrite: true);
                return new SendOutcome(SendResult.Sent, "written to the pickup folder");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryDelete(temporary);
                return new SendOutcome(SendResult.Temporary, "pickup folder not writable: " + e.Message);
            }
            catch (OperationCanceledException)
            {
                TryDelete(temporary);
                throw;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static void TryDelete(string file)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Removed as stale when a later session opens.
            }
        }
    }
}
