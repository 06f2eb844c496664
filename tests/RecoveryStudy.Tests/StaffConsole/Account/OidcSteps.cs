using System.Net;
using System.Text.RegularExpressions;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// A host whose staff sign-in points at a real OpenID Connect provider on loopback, and the
/// sign-in through it as a browser takes it over HTTP (the sign-in page's button, the provider's
/// login form, the code flow back).
/// </summary>
public static partial class OidcSteps
{
    public static async Task<(TestApp App, OidcProvider Provider)> StartAsync(string connectionString, object accounts, int? port = null)
    {
        var providerPort = port ?? OidcProvider.FreePort();
        var app = await TestApp.StartAsync(connectionString, OidcProvider.Settings(providerPort));
        try
        {
            var callback = new Uri(app.BaseAddress, new Uri(StaffOidc.CallbackPath, UriKind.Relative));
            var provider = await OidcProvider.StartAsync(providerPort, callback, accounts);
            return (app, provider);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Presses the sign-in page's provider button, logs in on the provider's form as this login,
    /// and follows every redirect back; returns the last answer (the console's page or the sign-in page).
    /// </summary>
    public static async Task<HttpResponseMessage> SignInAtProviderAsync(HttpClient client, string login)
    {
        var toProvider = await StaffSession.PostFormAsync(client, StaffAuth.SignInPath + "?handler=External", [], formPage: StaffAuth.SignInPath);
        var loginPage = await FollowAsync(client, toProvider);
        var html = await loginPage.Content.ReadAsStringAsync();
        var action = FormAction().Match(html);
        Assert.True(action.Success, $"no login form at the provider: {html}");
        var formUrl = new Uri(loginPage.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(action.Groups[1].Value));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["prompt"] = "login", ["login"] = login, ["password"] = "any" });
        return await FollowAsync(client, await client.PostAsync(formUrl, form));
    }

    private static async Task<HttpResponseMessage> FollowAsync(HttpClient client, HttpResponseMessage response)
    {
        for (var hops = 0; (int)response.StatusCode is >= 300 and < 400; hops++)
        {
            Assert.True(hops < 20, "too many redirects");
            var next = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response.Dispose();
            response = await client.GetAsync(next);
        }
        return response;
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"[^>]*method=\"post\"")]
    private static partial Regex FormAction();
}
