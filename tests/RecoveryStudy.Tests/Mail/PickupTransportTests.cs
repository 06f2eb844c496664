using RecoveryStudy.Mail;

namespace RecoveryStudy.Tests.Mail;

public sealed class PickupTransportTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rs-pickup-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task A_send_leaves_one_whole_eml_file_and_no_temporary_file()
    {
        var transport = new PickupMailTransport(folder);
        await using var session = await transport.OpenAsync(CancellationToken.None);
        using var email = new MimeKit.MimeMessage { MessageId = "rs.1@example.org", Subject = "x" };
        email.To.Add(new MimeKit.MailboxAddress("", "a@example.org"));
        email.Body = new MimeKit.TextPart("plain") { Text = "hello" };

        var outcome = await session.SendAsync(email, CancellationToken.None);

        Assert.Equal(SendResult.Sent, outcome.Result);
        Assert.Equal(["rs.1@example.org.eml"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal("x", MimeKit.MimeMessage.Load(Path.Combine(folder, "rs.1@example.org.eml")).Subject);
    }

    [Fact]
    public async Task Opening_a_session_removes_temporary_files_a_dead_writer_left_and_keeps_recent_ones()
    {
        Directory.CreateDirectory(folder);
        var stale = Path.Combine(folder, "rs.2@example.org.aaaa" + PickupMailTransport.TemporarySuffix);
        var recent = Path.Combine(folder, "rs.3@example.org.bbbb" + PickupMailTransport.TemporarySuffix);
        await File.WriteAllTextAsync(stale, "Subject: half");
        await File.WriteAllTextAsync(recent, "Subject: being written");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - PickupMailTransport.StaleAfter - TimeSpan.FromMinutes(1));

        await using var session = await new PickupMailTransport(folder).OpenAsync(CancellationToken.None);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(recent));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
