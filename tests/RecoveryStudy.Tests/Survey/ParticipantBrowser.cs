using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace RecoveryStudy.Tests.Survey;

/// <summary>axe-core's WCAG 2.1 A and AA rules on the page a participant sees.</summary>
public static class ParticipantBrowser
{
    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var results = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var violations = results.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))})").ToList();
        Assert.True(violations.Count == 0, $"{name}: " + string.Join("\n", violations));
        // A page that axe passed but that had no content would prove nothing.
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("h1").First.TextContentAsync()), $"{name}: no heading");
    }
}
