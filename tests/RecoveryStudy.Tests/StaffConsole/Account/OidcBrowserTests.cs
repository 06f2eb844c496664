using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// OpenID Connect sign-in in Chromium as a person takes it: the sign-in page's provider button,
/// the loopback provider's own login page, back to the console signed in; an identity linked to
/// no account is sent back to the sign-in page with the message saying so.
/// </summary>
public sealed class OidcBrowserTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Staff_signs_in_on_the_providers_own_page_and_lands_on_the_console_while_an_unknown_identity_is_refused()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher, email: $"carol-{Guid.NewGuid():N}@example.org");
        var accounts = new Dictionary<string, object> { ["carol"] = new { email = user.Email, email_verified = true } };
        var (app, provider) = await OidcSteps.StartAsync(database.ConnectionString, accounts);
        await using var _ = app;
        await using var __ = provider;

        await using (var context = await Browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await SignInAtProviderAsync(page, app, provider, "carol");
            await LandsAsync(page, url => OnApp(url, app) && new Uri(url).AbsolutePath == "/");
            Assert.Contains(user.Email, await page.Locator(".who").InnerTextAsync(), StringComparison.Ordinal);

            // The sign-in methods page shows the identity just linked.
            await page.Locator("nav a[href='/account/sign-in-methods']").ClickAsync();
            var identity = page.Locator("#identities tbody tr");
            await identity.WaitForAsync();
            Assert.Contains(provider.Authority.Authority, await identity.InnerTextAsync(), StringComparison.Ordinal);
            await ConsoleBrowser.AssertAccessibleAsync(page, "sign-in methods");
        }

        await using (var context = await Browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await SignInAtProviderAsync(page, app, provider, "nobody");
            await LandsAsync(page, url => OnApp(url, app) && new Uri(url).AbsolutePath == "/signin");
            var error = page.Locator("#external-error");
            await error.WaitForAsync();
            Assert.Contains("not linked to a staff account", await error.InnerTextAsync(), StringComparison.Ordinal);
            await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
            Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        }
    }

    private static async Task SignInAtProviderAsync(IPage page, TestApp app, OidcProvider provider, string login)
    {
        await page.GotoAsync(new Uri(app.BaseAddress, "/signin").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Test provider" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).Port == provider.Authority.Port);
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any password");
        await page.Locator("button[type=submit]").ClickAsync();
    }

    // Says where the browser stopped instead of a bare timeout.
    private static async Task LandsAsync(IPage page, Func<string, bool> where)
    {
        try
        {
            await page.WaitForURLAsync(where, new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            var text = await page.Locator("body").InnerTextAsync();
            Assert.Fail($"The browser stopped at {page.Url}: {text[..Math.Min(text.Length, 500)]}");
        }
    }

    private static bool OnApp(string url, TestApp app) => new Uri(url).Port == app.BaseAddress.Port;
}
