using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Hosting;

/// <summary>
/// The web host's EF Core contexts take their connections from a pool of their own that skips
/// Npgsql's reset; the jobs' and dispatcher's pool keeps it, because the dispatcher sets session
/// settings (synchronous_commit, plan_cache_mode) for its outcome writes. A setting left on a jobs' connection
/// must never reach a participant's save. Each pool holds one connection here, so a shared pool
/// would hand the context the very connection the setting was made on.
/// </summary>
public sealed class ContextDataSourceTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(database.ConnectionString + ";Maximum Pool Size=1");

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_session_setting_left_on_a_jobs_connection_never_reaches_a_context_whose_pool_skips_the_reset()
    {
        var jobs = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var connection = await jobs.OpenConnectionAsync())
        {
            await using var set = new NpgsqlCommand("SET plan_cache_mode = force_generic_plan", connection);
            await set.ExecuteNonQueryAsync();
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StudyDbContext>();
        var setting = await db.Database.SqlQueryRaw<string>("SELECT current_setting('plan_cache_mode') AS \"Value\"").SingleAsync();
        // (The test cluster runs with synchronous_commit off for speed: the dispatcher's other setting shows it.)
        Assert.Equal("auto", setting);
        Assert.True(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).NoResetOnClose,
            "the contexts' connections still pay Npgsql's reset on every rental");
    }
}
