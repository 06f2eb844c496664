using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Bounces;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Sending;

/// <summary>The bounces page lists the study's bounces and complaints with their reason, and only the study's own.</summary>
public sealed class BouncesPageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task A_researcher_sees_who_bounced_why_and_a_link_to_correct_the_address()
    {
        var (app, db, world, client) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var bounced = world.Participants["P-0005"];
        var complained = world.Participants["P-0008"];
        var now = DateTime.UtcNow;
        bounced.UndeliverableAt = now;
        complained.OptedOutAt = now;
        db.BounceReports.AddRange(
            new BounceReport { ReceivedAt = now, SourceHash = Guid.NewGuid().ToString("N"), Kind = BounceKind.Hard, ParticipantId = bounced.Id, StudyId = world.Study.Id,
                Status = "5.1.1", Detail = "smtp; 550 5.1.1 Recipient address rejected: User unknown" },
            new BounceReport { ReceivedAt = now, SourceHash = Guid.NewGuid().ToString("N"), Kind = BounceKind.Complaint, ParticipantId = complained.Id, StudyId = world.Study.Id,
                Detail = "abuse" },
            new BounceReport { ReceivedAt = now, SourceHash = Guid.NewGuid().ToString("N"), Kind = BounceKind.Forged });
        await db.SaveChangesAsync();

        var page = await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}/bounces", UriKind.Relative));

        var table = page[page.IndexOf("<table id=\"bounces\">", StringComparison.Ordinal)..];
        Assert.Contains(">P-0005</a>", table, StringComparison.Ordinal);
        Assert.Contains("bounced (permanent)", table, StringComparison.Ordinal);
        Assert.Contains("5.1.1", table, StringComparison.Ordinal);
        Assert.Contains("Recipient address rejected: User unknown", table, StringComparison.Ordinal);
        Assert.Contains($"href=\"/participants/{bounced.Id}/contact\"", table, StringComparison.Ordinal);
        Assert.Contains(">P-0008</a>", table, StringComparison.Ordinal);
        Assert.Contains("marked as spam", table, StringComparison.Ordinal);
        Assert.Contains("opted out", table, StringComparison.Ordinal);
        Assert.Contains("<span class=\"figure\" id=\"count-hard\">1</span>", page, StringComparison.Ordinal);
        Assert.Matches("[1-9][0-9]* forged report", page);
        Assert.Equal(2, await db.BounceReports.AsNoTracking().CountAsync(b => b.StudyId == world.Study.Id));
    }
}
