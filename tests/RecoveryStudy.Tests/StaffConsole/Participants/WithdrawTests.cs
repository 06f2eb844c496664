using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Participants;

/// <summary>Withdrawing a participant through the console takes effect and is audited.</summary>
public sealed class WithdrawTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task Withdrawing_ends_open_invitations_cancels_queued_email_and_is_audited()
    {
        var (app, db, world, client) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0010"];

        var response = await StaffSession.PostFormAsync(client, $"/participants/{p.Id}/withdraw", new() { ["Reason"] = "moved abroad" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ParticipantStatus.Withdrawn, (await db.Participants.AsNoTracking().SingleAsync(x => x.Id == p.Id)).Status);
        Assert.Equal(InvitationStatus.Withdrawn, (await db.Invitations.AsNoTracking().SingleAsync(i => i.ParticipantId == p.Id)).Status);
        Assert.All(await db.Messages.AsNoTracking().Where(m => m.Invitation!.ParticipantId == p.Id).ToListAsync(), m => Assert.Equal(MessageStatus.Cancelled, m.Status));
        await ConsoleActions.AssertAuditedAsync(db, "participant.withdraw", p.Id);
    }
}
