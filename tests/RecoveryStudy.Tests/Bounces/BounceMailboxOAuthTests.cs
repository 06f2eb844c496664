using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using RecoveryStudy.Bounces;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Bounces;

/// <summary>
/// The `bounces` job signing in to a real Dovecot with XOAUTH2 (its oauth2 passdb asks the test's
/// token endpoint about each token), with a Google-style service account token for the mailbox user.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BounceMailboxOAuthTests(DatabaseFixture database, SmtpSink sink, OAuthMailbox mailbox)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>, IClassFixture<OAuthMailbox>, IAsyncLifetime
{
    private readonly string keyFile = Path.Combine(Path.GetTempPath(), "rs-sa-" + Guid.NewGuid().ToString("N") + ".json");

    public async Task InitializeAsync()
    {
        await mailbox.Imap.ClearAsync();
        mailbox.Tokens.WriteServiceAccountKey(keyFile);
    }

    public Task DisposeAsync()
    {
        mailbox.Tokens.IssueRefusedTokens = false;
        File.Delete(keyFile);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_job_signs_in_with_a_token_and_a_refused_token_leaves_the_report_for_the_next_run()
    {
        // No password: only the token can open the mailbox.
        var imap = mailbox.Imap.Settings;
        var options = new BounceOptions
        {
            Address = VerpEnvelopeTests.Options.Address, Secret = VerpEnvelopeTests.Options.Secret, IdleFor = TimeSpan.Zero,
            Imap = new ImapSettings { Host = imap.Host, Port = imap.Port, Security = imap.Security, User = imap.User, Timeout = imap.Timeout },
        };
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: options);
        mailbox.Tokens.Clock = world.Clock;
        var participant = await world.ParticipantAsync("B-OAUTH");
        await world.Jobs.TickAsync();
        var (email, verp) = Assert.Single(sink.MessagesWithEnvelopeSender(), m => m.Message.To.Mailboxes.Single().Address == participant.Contact!.Email);
        await mailbox.Imap.AppendAsync(BounceSamples.Dsn(verp, participant.Contact!.Email, email.MessageId!));
        using var provider = new OAuthTokenProvider(new OAuthSettings { ServiceAccountKeyPath = keyFile }, imap.User, world.Clock);
        var job = new BounceJob(world.DataSource, Microsoft.Extensions.Options.Options.Create(options), world.Clock, NullLogger<BounceJob>.Instance,
            new BounceMailboxTokens(provider));
        var before = mailbox.Tokens.TokensIssued;

        mailbox.Tokens.IssueRefusedTokens = true;
        await Assert.ThrowsAsync<AuthenticationException>(() => job.RunAsync(CancellationToken.None));
        Assert.Null((await world.Db.Participants.AsNoTracking().SingleAsync(p => p.Id == participant.Id)).UndeliverableAt);
        Assert.Equal(1, await mailbox.Imap.CountAsync("INBOX"));

        mailbox.Tokens.IssueRefusedTokens = false;
        var run = await job.RunAsync(CancellationToken.None);

        Assert.Equal(1, run.Count(BounceKind.Hard));
        Assert.NotNull((await world.Db.Participants.AsNoTracking().SingleAsync(p => p.Id == participant.Id)).UndeliverableAt);
        Assert.Equal(before + 2, mailbox.Tokens.TokensIssued);
    }
}
