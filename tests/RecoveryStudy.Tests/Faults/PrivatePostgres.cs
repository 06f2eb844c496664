using RecoveryStudy.Database;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// A PostgreSQL cluster of one test class alone, which the test may stop and start again: the
/// shared server of the run is never restarted under the other tests.
/// </summary>
public sealed class PrivatePostgres : IAsyncLifetime
{
    private const string DatabaseName = "faults";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rs-private-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private PostgresCluster? cluster;

    public string ConnectionString(int maxPoolSize = 30) => Cluster.ConnectionString(DatabaseName, maxPoolSize);

    private PostgresCluster Cluster => cluster ?? throw new InvalidOperationException("the cluster has not started");

    public async Task InitializeAsync()
    {
        cluster = await TestClusters.StartAsync(folder);
        await TestClusters.CreateMigratedDatabaseAsync(cluster, DatabaseName);
    }

    /// <summary>A fast shutdown (open sessions cut), <paramref name="downFor"/> without a server, then a start on the same port.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        await Cluster.StopAsync();
        await Task.Delay(downFor);
        await Cluster.RestartAsync();
    }

    public Task DisposeAsync() => cluster is null ? Task.CompletedTask : TestClusters.RemoveAsync(cluster, folder);
}
