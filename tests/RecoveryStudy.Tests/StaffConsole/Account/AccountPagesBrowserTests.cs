using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Api;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>The account pages in Chromium: reachable from the navigation, accessible, errors next to their field.</summary>
public sealed class AccountPagesBrowserTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_token_and_password_pages_have_no_WCAG_A_or_AA_violations_and_a_refused_password_is_explained_at_its_field()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, user, "laptop R", DateTime.UtcNow.AddDays(30), CancellationToken.None);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, app, user.Email);

        await page.Locator("nav a[href='/account/tokens']").ClickAsync();
        await page.Locator("#tokens").WaitForAsync();
        Assert.Equal(1, await page.Locator("#tokens tbody tr").CountAsync());
        await ConsoleBrowser.AssertAccessibleAsync(page, "tokens");

        await page.GotoAsync(new Uri(app.BaseAddress, "/account/password").ToString());
        await page.GetByLabel("Current password").FillAsync(StaffSession.Password);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("aaaaaaaaaaaa");
        await page.GetByLabel("New password again").FillAsync("aaaaaaaaaaaa");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await page.Locator("#replacement-error:not(:empty)").WaitForAsync();
        Assert.Contains("repeats", await page.Locator("#replacement-error").InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.AssertAccessibleAsync(page, "password with an error");
    }
}
