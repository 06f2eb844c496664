using MimeKit;

namespace RecoveryStudy.Mail;

/// <summary>
/// Writes each email as an .eml file into a folder (the local default, for demos and for a
/// relay that picks files up). A file appears whole or not at all.
/// </summary>
public sealed class PickupMailTransport(string folder) : IMailTransport
{
    public string RelayName => MailOptions.PickupTransport;

    public Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MailRelayUnreachableException("pickup folder cannot be created: " + e.Message, e);
        }
        return Task.FromResult<IMailSession>(new Session(folder));
    }

    private sealed class Session(string folder) : IMailSession
    {
        public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            var name = string.Concat((message.MessageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId()).Split(Path.GetInvalidFileNameChars()));
            var path = Path.Combine(folder, name + ".eml");
            try
            {
                await using (var stream = File.Create(path + ".tmp"))
                {
                    await message.WriteToAsync(stream, cancellationToken);
                }
                File.Move(path + ".tmp", path, overwrite: true);
                return new SendOutcome(SendResult.Sent, "written to the pickup folder");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new SendOutcome(SendResult.Temporary, "pickup folder not writable: " + e.Message);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
