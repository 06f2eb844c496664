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
        // 3 x (100 + 4 + 5) + 10 = 337 > 300 - 3.
        Assert.Contains("= 337 connections", warning);
        Assert.Contains("max_connections is 300", warning);
    }

    [Fact]
    public async Task Two_nodes_with_the_default_pool_fit_and_give_no_warning()
    {
        var (fits, lines) = await CheckAsync(("Database:ExpectedNodes", "2"));
        Assert.True(fits);
        Assert.DoesNotContain(lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
    }
}
