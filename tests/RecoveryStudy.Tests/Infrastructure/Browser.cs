using Microsoft.Playwright;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the whole test run, driven by Playwright (its own browser
/// download does not work here). Each test opens its own context, so cookies never leak.
/// </summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static readonly Lazy<Task<IBrowser>> Instance = new(LaunchAsync);

    public static Task<IBrowser> GetAsync() => Instance.Value;

    /// <summary>A fresh browser context (cookies, storage) with the given viewport.</summary>
    public static async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800, bool javaScript = true)
    {
        var browser = await GetAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            JavaScriptEnabled = javaScript,
        });
        // Playwright's 30 s per action is too short on a 2-core machine running four test classes, a
        // browser and PostgreSQL at once (seen: a page load of the end-to-end test timing out at load 13).
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return context;
    }

    /// <summary>Where screenshots go: under the test output, for a person to look at.</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    /// <summary>
    /// Every host name but loopback's fails to resolve at once. Pages under test may name outside
    /// hosts (the OpenID provider's login page imports a web font); where the network drops such
    /// connections instead of refusing them, the page's load event waited past every timeout (seen
    /// in CI: the sign-in test stopped 90 s on the provider's page).
    /// </summary>
    private const string LoopbackOnly = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost";

    private static async Task<IBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
                LoopbackOnly,
            ],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            browser.CloseAsync().GetAwaiter().GetResult();
            playwright.Dispose();
        };
        return browser;
    }
}
