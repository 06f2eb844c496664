using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Tests.Hosting;

/// <summary>The start-up warning when all nodes' connection pools could exceed the server's max_connections (300 on the test cluster).</summary>
public sealed class ConnectionBudgetTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private async Task<(bool Fits, List<string> Lines)> CheckAsync(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var dataSource = database.CreateDataSource();
        var budget = ConnectionBudget.From(configuration, database.ConnectionString + ";Maximum Pool Size=100");
        var fits = await budget.CheckAsync(dataSource, factory.CreateLogger("budget"), CancellationToken.None);
        return (fits, logs.Lines.ToList());
    }

    [Fact]
    public async Task Three_nodes_with_the_default_pool_of_100_get_a_warning_naming_the_figures()
    {
        var (fits, lines) = await CheckAsync(("Database:ExpectedNodes", "3"));
        Assert.False(fits);
        var warning = Assert.Single(lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
        // 3 x (2 x 100 + 4 + 5) + 10 = 637 > 300 - 3: the contexts' pool and the jobs' pool each up to 100.
        Assert.Contains("3 node(s) x (2 x 100 pool", warning);
        Assert.Contains("= 637 connections", warning);
        Assert.Contains("max_connections is 300", warning);
    }

    [Fact]
    public async Task One_node_with_the_default_pools_fits_and_gives_no_warning()
    {
        // 2 x 100 + 4 + 5 + 10 = 219 <= 297.
        var (fits, lines) = await CheckAsync(("Database:ExpectedNodes", "1"));
        Assert.True(fits);
        Assert.DoesNotContain(lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
    }
}
