using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Bounces;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Bounces;

/// <summary>The `bounces` job waiting with IMAP IDLE on a real Dovecot, which offers it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BounceIdleTests(DatabaseFixture database, SmtpSink sink, DovecotServer imap)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>, IClassFixture<DovecotServer>, IAsyncLifetime
{
    private static readonly TimeSpan IdleFor = TimeSpan.FromMinutes(4);

    public Task InitializeAsync() => imap.ClearAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private BounceOptions Options => new()
    {
        Address = VerpEnvelopeTests.Options.Address, Secret = VerpEnvelopeTests.Options.Secret, Imap = imap.Settings, IdleFor = IdleFor,
    };

    [Fact]
    public async Task A_dsn_that_arrives_while_the_job_idles_is_read_at_once_without_waiting_for_the_next_run()
    {
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: Options);
        var participant = await world.ParticipantAsync("B-IDLE");
        await world.Jobs.TickAsync();
        var (email, verp) = Assert.Single(sink.MessagesWithEnvelopeSender(), m => m.Message.To.Mailboxes.Single().Address == participant.Contact!.Email);
        using var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var job = new BounceJob(world.DataSource, Microsoft.Extensions.Options.Options.Create(Options), world.Clock, factory.CreateLogger<BounceJob>());

        var run = job.RunAsync(CancellationToken.None);
        Assert.True(await Poll.UntilAsync(() => logs.Lines.Any(l => l.Contains("idling", StringComparison.Ordinal)), TimeSpan.FromSeconds(20)),
            "the job did not start to IDLE: " + string.Join("\n", logs.Lines));
        await imap.AppendAsync(BounceSamples.Dsn(verp, participant.Contact!.Email, email.MessageId!));

        // Read during the same run, while it still waits: no second run, no clock moved.
        Assert.True(await Poll.UntilAsync(async () => (await world.Db.Participants.AsNoTracking().SingleAsync(p => p.Id == participant.Id)).UndeliverableAt is not null,
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100)));
        Assert.False(run.IsCompleted);
        Assert.Equal(1, await imap.CountAsync("Processed"));

        // The bounded wait ends on the job's clock, and the run with it.
        world.Clock.Advance(IdleFor);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, result.Count(BounceKind.Hard));
    }
}
