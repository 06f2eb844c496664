using System.Collections.Concurrent;
using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>
/// The pages with a validation summary, shown empty and with errors, break no rule of the content
/// security policy (no inline style is blocked); and the favicon is served.
/// </summary>
public sealed class ConsoleCspTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Pages_with_validation_summaries_cause_no_content_security_policy_violation()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var context = await Browser.NewContextAsync();
        var violations = new ConcurrentQueue<string>();
        await context.ExposeFunctionAsync("reportCspViolation", (string text) => violations.Enqueue(text));
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => window.reportCspViolation(e.violatedDirective + ' ' + (e.sample || e.blockedURI)));");
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue(page.Url + ": " + message.Text);
            }
        };
        await ConsoleBrowser.SignInAsync(page, app, admin.Email);

        var participant = world.Participants["P-0003"].Id;
        foreach (var path in new[]
        {
            "/admin/accounts", $"/participants/{participant}/contact", $"/participants/{participant}/anchors",
            $"/participants/{participant}/withdraw", "/account/password", $"/studies/{world.Study.Id}", $"/studies/{world.Study.Id}/grid",
        })
        {
            await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        // With errors in the summary too: a password change with the wrong current password.
        await page.GotoAsync(new Uri(app.BaseAddress, "/account/password").ToString());
        await page.GetByLabel("Current password").FillAsync("not the password");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("short");
        await page.GetByLabel("New password again").FillAsync("different");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.True(await page.Locator(".field-validation-error, .validation-summary-errors li").CountAsync() > 0, "the password form showed no error");

        Assert.True(violations.IsEmpty, "CSP violations:\n" + string.Join("\n", violations));
    }

    [Fact]
    public async Task Favicon_is_served_to_anyone()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = app.CreateClient(followRedirects: false);
        var response = await client.GetAsync(new Uri("/favicon.ico", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, bytes[..4]);
    }
}
