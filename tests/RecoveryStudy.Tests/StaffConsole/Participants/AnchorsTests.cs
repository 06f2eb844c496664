using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Participants;

/// <summary>Anchor dates edited through the console are saved and audited.</summary>
public sealed class AnchorsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task Editing_anchor_dates_is_saved_and_audited()
    {
        var (app, db, world, client) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0002"];

        var response = await StaffSession.PostFormAsync(client, $"/participants/{p.Id}/anchors", new() { ["Dates[course_start]"] = "2027-01-05", ["Dates[course_end]"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var anchor = await db.ParticipantAnchors.AsNoTracking().SingleAsync(a => a.ParticipantId == p.Id);
        Assert.Equal(("course_start", new DateOnly(2027, 1, 5)), (anchor.Name, anchor.Date));
        await ConsoleActions.AssertAuditedAsync(db, "participant.anchors", p.Id);
    }
}
