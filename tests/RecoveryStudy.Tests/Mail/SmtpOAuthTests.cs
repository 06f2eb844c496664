using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// SMTP sign-in with XOAUTH2 against a real relay (aiosmtpd) that accepts only tokens a real token
/// endpoint (Kestrel, <see cref="TokenServer"/>) calls active at the test's clock.
/// </summary>
public sealed class SmtpOAuthTests(DatabaseFixture database, OAuthRelay relay) : IClassFixture<DatabaseFixture>, IClassFixture<OAuthRelay>, IDisposable
{
    private const string Mailbox = "study@example.org";

    private OAuthSettings Settings => new()
    {
        TokenEndpoint = relay.Tokens.TokenUrl, ClientId = TokenServer.ClientId, ClientSecret = relay.Tokens.ClientSecret, Scope = TokenServer.Scope,
    };

    private Task<MailWorld> WorldAsync(OAuthSettings? settings = null) =>
        MailWorld.CreateAsync(database, relay.Sink, tokens: clock =>
        {
            relay.Tokens.Clock = clock;
            return new OAuthTokenProvider(settings ?? Settings, Mailbox, clock);
        });

    public void Dispose()
    {
        relay.Tokens.IssueRefusedTokens = false;
        relay.Tokens.Lifetime = TimeSpan.FromMinutes(2);
    }

    [Fact]
    public async Task Emails_go_out_signed_in_with_a_token_from_the_endpoint()
    {
        await using var world = await WorldAsync();
        var before = (relay.Tokens.TokensIssued, relay.Sink.SignIns());
        var participant = await world.ParticipantAsync("OA-SENT");

        Assert.Equal(1, await world.Jobs.TickAsync());

        Assert.Contains(relay.Sink.Messages(), m => m.To.Mailboxes.Single().Address == participant.Contact!.Email);
        Assert.Equal(before.TokensIssued + 1, relay.Tokens.TokensIssued);
        Assert.Equal((before.Item2.Accepted + 1, before.Item2.Refused), relay.Sink.SignIns());
        Assert.Contains(await world.MessagesAsync(), m => m.Status == MessageStatus.Sent && m.Attempts == 1);
    }

    [Fact]
    public async Task A_token_is_renewed_before_it_expires_so_no_send_fails()
    {
        await using var world = await WorldAsync();
        var before = (relay.Tokens.TokensIssued, relay.Sink.SignIns());
        await world.ParticipantAsync("OA-RENEW-1");
        Assert.Equal(1, await world.Jobs.TickAsync());

        // 100 s into a 120 s token: still valid, but within the refresh margin (half its life here).
        world.Clock.Advance(TimeSpan.FromSeconds(100));
        await world.ParticipantAsync("OA-RENEW-2");
        Assert.Equal(1, await world.Jobs.TickAsync());
        Assert.Equal(before.TokensIssued + 2, relay.Tokens.TokensIssued);

        // Within the new token's life: reused, no third request.
        world.Clock.Advance(TimeSpan.FromSeconds(30));
        await world.ParticipantAsync("OA-RENEW-3");
        Assert.Equal(1, await world.Jobs.TickAsync());

        Assert.Equal(before.TokensIssued + 2, relay.Tokens.TokensIssued);
        Assert.Equal((before.Item2.Accepted + 3, before.Item2.Refused), relay.Sink.SignIns());
        var messages = (await world.MessagesAsync()).Where(m => m.Kind == MessageKind.Invitation).ToList();
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.Equal((MessageStatus.Sent, 1), (m.Status, m.Attempts)));
    }

    [Fact]
    public async Task A_refused_token_fails_no_email_for_good_and_the_next_attempt_signs_in_with_a_fresh_token()
    {
        await using var world = await WorldAsync();
        var before = (relay.Tokens.TokensIssued, relay.Sink.SignIns());
        await world.ParticipantAsync("OA-REFUSED");
        relay.Tokens.IssueRefusedTokens = true;

        Assert.Equal(0, await world.Jobs.TickAsync());

        Assert.Equal((before.Item2.Accepted, before.Item2.Refused + 1), relay.Sink.SignIns());
        var waiting = Assert.Single(await world.MessagesAsync());
        Assert.Equal(MessageStatus.Queued, waiting.Status);
        Assert.Contains("535", waiting.LastError, StringComparison.Ordinal);

        // The endpoint mends; the refused token (not expired yet) is not used again.
        relay.Tokens.IssueRefusedTokens = false;
        world.Clock.Advance(world.Jobs.Mail.RetryBaseDelay);
        Assert.Equal(1, await world.Jobs.TickAsync());

        Assert.Equal(before.TokensIssued + 2, relay.Tokens.TokensIssued);
        Assert.Equal((before.Item2.Accepted + 1, before.Item2.Refused + 1), relay.Sink.SignIns());
        Assert.Equal(MessageStatus.Sent, Assert.Single(await world.MessagesAsync(), m => m.Kind == MessageKind.Invitation).Status);
    }

    [Fact]
    public async Task A_google_service_account_signs_a_jwt_naming_the_mailbox_and_its_token_sends()
    {
        var keyFile = Path.Combine(Path.GetTempPath(), "rs-sa-" + Guid.NewGuid().ToString("N") + ".json");
        relay.Tokens.WriteServiceAccountKey(keyFile);
        try
        {
            await using var world = await WorldAsync(new OAuthSettings { ServiceAccountKeyPath = keyFile });
            var before = relay.Tokens.TokensIssued;
            await world.ParticipantAsync("OA-GOOGLE");

            Assert.Equal(1, await world.Jobs.TickAsync());
            Assert.Equal(before + 1, relay.Tokens.TokensIssued);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task A_client_the_token_endpoint_refuses_leaves_the_email_queued_with_the_reason_and_no_secret()
    {
        var settings = Settings;
        settings.ClientSecret = "wrong-" + Guid.NewGuid().ToString("N");
        await using var world = await WorldAsync(settings);
        await world.ParticipantAsync("OA-BADCLIENT");

        Assert.Equal(0, await world.Jobs.TickAsync());

        var waiting = Assert.Single(await world.MessagesAsync());
        Assert.Equal((MessageStatus.Queued, 0), (waiting.Status, waiting.Attempts));
        Assert.Contains("401: invalid_client", waiting.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(settings.ClientSecret, waiting.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_signs_the_client_assertion_instead_of_a_secret()
    {
        var pfx = Path.Combine(Path.GetTempPath(), "rs-client-" + Guid.NewGuid().ToString("N") + ".pfx");
        await File.WriteAllBytesAsync(pfx, relay.Tokens.ClientCertificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "pfx-pass"));
        try
        {
            await using var world = await WorldAsync(new OAuthSettings
            {
                TokenEndpoint = relay.Tokens.TokenUrl, ClientId = TokenServer.ClientId, Scope = TokenServer.Scope, CertificatePath = pfx, CertificatePassword = "pfx-pass",
            });
            var before = relay.Tokens.TokensIssued;
            await world.ParticipantAsync("OA-CERT");

            Assert.Equal(1, await world.Jobs.TickAsync());
            Assert.Equal(before + 1, relay.Tokens.TokensIssued);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task The_host_refuses_to_start_with_half_configured_oauth_settings_naming_each_key()
    {
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Mail:Transport"] = "smtp",
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:OAuth:Tenant"] = "contoso.onmicrosoft.com",
            ["Mail:Smtp:OAuth:ClientSecret"] = "s3cret",
            ["Bounces:Address"] = "bounces@study.example.org",
            ["Bounces:Secret"] = new string('x', 40),
            ["Bounces:Imap:Host"] = "127.0.0.1",
            ["Bounces:Imap:User"] = "bounces@study.example.org",
            ["Bounces:Imap:OAuth:TokenEndpoint"] = "http://auth.example.org/token",
        }));
        // Both sections fail: the host reports them together.
        var error = Assert.IsType<AggregateException>(thrown);
        Assert.All(error.InnerExceptions, e => Assert.IsType<OptionsValidationException>(e));

        Assert.Contains("Mail:Smtp:User is required with Mail:Smtp:OAuth", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mail:Smtp:OAuth:ClientId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bounces:Imap:OAuth:ClientId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bounces:Imap:OAuth:TokenEndpoint must be an absolute https address", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bounces:Imap:OAuth:Scope is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bounces:Imap:OAuth:ClientSecret or Bounces:Imap:OAuth:CertificatePath is required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }
}
