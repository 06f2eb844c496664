using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Cli;

/// <summary>`mail dispatch` reads the configuration the host reads: appsettings.json, the environment and --Key=Value arguments.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class MailCommandTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Mail_dispatch_puts_the_configured_public_address_in_the_emailed_links()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var participant = await world.ParticipantAsync("P-CLI");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);

        var (code, output, error) = await CliRun.RunAsync(database.ConnectionString, world.Clock, "mail", "dispatch",
            "--App:PublicBaseUrl=https://configured.example.net/study", "--Mail:Transport=smtp", "--Mail:Smtp:Host=127.0.0.1",
            $"--Mail:Smtp:Port={sink.Port}", "--Mail:Smtp:Security=None", "--Mail:RatePerMinute=0");

        Assert.True(code == 0, error);
        Assert.Equal("Sent 1 message(s).", output.Trim());
        var email = Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(b => b.Address == participant.Contact!.Email));
        Assert.Matches("https://configured\\.example\\.net/study/s/[A-Za-z0-9_-]{43}", email.TextBody);
        Assert.Matches("^<https://configured\\.example\\.net/study/u/[A-Za-z0-9_-]{43}>$", email.Headers["List-Unsubscribe"] ?? "");
    }

    [Fact]
    public async Task Mail_dispatch_refuses_an_argument_that_is_not_configuration()
    {
        var (code, _, error) = await CliRun.RunAsync(database.ConnectionString, null, "mail", "dispatch", "--App:PublicBaseUrl");

        Assert.NotEqual(0, code);
        Assert.Contains("--App:PublicBaseUrl", error);
    }
}
