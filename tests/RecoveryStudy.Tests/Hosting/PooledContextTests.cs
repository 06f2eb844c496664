using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Hosting;

/// <summary>
/// The web host's contexts come from a pool: a site-limited member's participant filter set in one
/// request must never hide (or show) participants in the next request that rents the same context.
/// </summary>
public sealed class PooledContextTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_participant_limit_set_in_one_request_is_gone_in_the_next_rental_of_the_same_context()
    {
        await using (var seed = database.CreateContext())
        {
            await SurveyWorld.CreateAsync(seed);
        }

        StudyDbContext limited;
        await using (var first = app.Services.CreateAsyncScope())
        {
            limited = first.ServiceProvider.GetRequiredService<StudyDbContext>();
            limited.LimitParticipantsTo([-1], [-1]);
            Assert.Equal(0, await limited.Participants.CountAsync());
        }

        await using var second = app.Services.CreateAsyncScope();
        var next = second.ServiceProvider.GetRequiredService<StudyDbContext>();
        Assert.Same(limited, next);
        Assert.False(next.LimitParticipants, "the next rental still carried the limit");
        Assert.True(await next.Participants.CountAsync() > 0, "the next rental saw no participant");
    }
}
