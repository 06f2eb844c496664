using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Participants;

/// <summary>Resending an invitation through the console takes effect and is audited.</summary>
public sealed class ResendTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task Resending_revokes_the_old_link_queues_the_invitation_again_and_is_audited()
    {
        var (app, db, world, client) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0008"];
        var invitation = world.Invitations["P-0008"];

        var response = await StaffSession.PostFormAsync(client, $"/participants/{p.Id}/resend", new() { ["invitationId"] = invitation.Id.ToString(CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.All(await db.AccessTokens.AsNoTracking().Where(t => t.InvitationId == invitation.Id).ToListAsync(), t => Assert.NotNull(t.RevokedAt));
        var message = await db.Messages.AsNoTracking().SingleAsync(m => m.InvitationId == invitation.Id && m.Kind == MessageKind.Invitation);
        Assert.Equal(MessageStatus.Queued, message.Status);
        await ConsoleActions.AssertAuditedAsync(db, "invitation.resend", invitation.Id);
    }
}
