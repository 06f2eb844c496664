using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Health;

public sealed class HomePageBrowserTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Chromium_loads_the_home_page_with_strict_security_headers()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(app.BaseAddress.ToString());
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        var headers = await response.AllHeadersAsync();
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"], StringComparison.Ordinal);
    }
}
