using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Sending;

/// <summary>Retrying a failed email from the outbox takes effect and is audited.</summary>
public sealed class OutboxTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task A_failed_email_can_be_tried_again_unless_its_address_was_rejected()
    {
        var (app, db, world, client) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var outbox = $"/studies/{world.Study.Id}/outbox";
        var retryable = world.FailedMessages["P-0008"];
        var rejected = world.FailedMessages["P-0005"];

        var page = await client.GetStringAsync(new Uri(outbox + "?status=failed", UriKind.Relative));
        Assert.Contains("451 4.3.0 try again later", page, StringComparison.Ordinal);
        await StaffSession.PostFormAsync(client, outbox + "?handler=Retry", new() { ["messageId"] = retryable.Id.ToString(CultureInfo.InvariantCulture) }, formPage: outbox);
        await StaffSession.PostFormAsync(client, outbox + "?handler=Retry", new() { ["messageId"] = rejected.Id.ToString(CultureInfo.InvariantCulture) }, formPage: outbox);

        Assert.Equal(MessageStatus.Queued, (await db.Messages.AsNoTracking().SingleAsync(m => m.Id == retryable.Id)).Status);
        Assert.Equal(MessageStatus.Failed, (await db.Messages.AsNoTracking().SingleAsync(m => m.Id == rejected.Id)).Status);
        await ConsoleActions.AssertAuditedAsync(db, "message.retry", retryable.Id);
    }
}
