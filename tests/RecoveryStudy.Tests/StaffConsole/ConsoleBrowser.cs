using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>Signing in through the real form, and axe-core's WCAG 2.1 A/AA check of the current page.</summary>
public static partial class ConsoleBrowser
{
    [GeneratedRegex("/signin")]
    private static partial Regex SignInPath();

    public static async Task SignInAsync(IPage page, TestApp app, string email)
    {
        await StaffSession.JoinEveryStudyAsync(app.Services, email);
        await page.GotoAsync(new Uri(app.BaseAddress, "/signin").ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(StaffSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The address is polled, not the new page's load event: after the form's redirect, Playwright's
        // wait for "load" once hung for its whole timeout with the page already there (a full ops/test
        // run, 7 Dec 2026). Whatever comes next finds its own elements or starts its own navigation.
        await Assertions.Expect(page).Not.ToHaveURLAsync(SignInPath(), new() { Timeout = 60_000 });
    }

    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var results = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var violations = results.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))})").ToList();
        Assert.True(violations.Count == 0, $"{name}: " + string.Join("\n", violations));
    }
}
