using MimeKit;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// MimeKit's messages, parts and contents have finalizers: an email the dispatcher does not dispose
/// survives one more garbage collection with everything it holds, and during a batch of thousands
/// every young collection copied the emails sent since the one before (bench/README.md).
/// </summary>
public sealed class SentEmailDisposalTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Every_email_is_disposed_once_it_was_sent()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        for (var i = 0; i < 12; i++)
        {
            await world.ParticipantAsync($"P-{i}");
        }
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var relay = new WatchedRelay(new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None" }));

        var result = await world.Jobs.Dispatcher(relay).DispatchBatchAsync(CancellationToken.None);

        Assert.Equal(12, result.Sent);
        Assert.Equal(12, relay.Sent.Count);
        // Disposing a message disposes its parts and their contents, which close their streams.
        Assert.All(relay.Sent, streams => Assert.All(streams, stream => Assert.False(stream.CanRead, "a sent email's part is still open")));
    }

    /// <summary>The real relay, noting the content streams of every email it sent (while the email was whole).</summary>
    private sealed class WatchedRelay(IMailTransport inner) : IMailTransport
    {
        public List<IReadOnlyList<Stream>> Sent { get; } = [];

        public string RelayName => inner.RelayName;

        public async Task<IMailSession> OpenAsync(CancellationToken cancellationToken) => new Session(await inner.OpenAsync(cancellationToken), Sent);

        private sealed class Session(IMailSession inner, List<IReadOnlyList<Stream>> sent) : IMailSession
        {
            public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
            {
                var streams = message.BodyParts.OfType<MimePart>().Select(part => part.Content?.Stream ?? throw new InvalidOperationException("a part without content")).ToList();
                Assert.Equal(2, streams.Count);
                Assert.All(streams, stream => Assert.True(stream.CanRead));
                var outcome = await inner.SendAsync(message, cancellationToken);
                sent.Add(streams);
                return outcome;
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
