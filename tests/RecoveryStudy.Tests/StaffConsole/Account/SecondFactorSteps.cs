using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// The second-factor steps as a browser takes them (forms with their anti-forgery tokens), and
/// codes made with the key the enrolment page showed, at the app's (fake) time.
/// </summary>
public static partial class SecondFactorSteps
{
    public static readonly Uri Home = new("/", UriKind.Relative);

    /// <summary>A host whose clock the test moves, with the admin rule as in production unless told otherwise.</summary>
    public static Task<TestApp> StartAsync(string connectionString, FakeTimeProvider clock, bool requireForAdmins = true) =>
        TestApp.StartAsync(connectionString,
            new Dictionary<string, string?> { ["StaffAuth:RequireAdminSecondFactor"] = requireForAdmins ? "true" : "false" },
            builder => builder.Services.AddSingleton<TimeProvider>(clock));

    /// <summary>A clock at the start of a 30-second step, so a step's codes stay valid while the test runs.</summary>
    public static FakeTimeProvider Clock()
    {
        var now = DateTimeOffset.UtcNow;
        return new FakeTimeProvider(now.AddTicks(-(now.UtcTicks % TimeSpan.FromSeconds(30).Ticks)));
    }

    public static string Code(string secret, FakeTimeProvider clock, int stepsAway = 0) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(clock.GetUtcNow().UtcDateTime.AddSeconds(30 * stepsAway));

    /// <summary>Opens the enrolment page of a signed-in client, confirms with a code; returns the key and the recovery codes.</summary>
    public static async Task<(string Secret, string[] RecoveryCodes)> EnrolAsync(HttpClient client, FakeTimeProvider clock)
    {
        var secret = await SecretShownAsync(client);
        using var confirmed = await StaffSession.PostFormAsync(client, SecondFactor.EnrolPath, new() { ["Code"] = Code(secret, clock) });
        var page = await confirmed.Content.ReadAsStringAsync();
        var codes = RecoveryCodeItem().Matches(page).Select(m => m.Groups[1].Value).ToArray();
        if (codes.Length == 0)
        {
            throw new InvalidOperationException($"Enrolment answered {(int)confirmed.StatusCode} without recovery codes.");
        }
        return (secret, codes);
    }

    public static async Task<string> SecretShownAsync(HttpClient client)
    {
        var page = await client.GetStringAsync(new Uri(SecondFactor.EnrolPath, UriKind.Relative));
        return SecretShown().Match(page) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("No key on the enrolment page.");
    }

    /// <summary>A new client that passed the password step; asserts it was sent on to the code page.</summary>
    public static async Task<HttpClient> PasswordStepAsync(TestApp app, string email)
    {
        var client = app.CreateClient(followRedirects: false);
        using var response = await StaffSession.PostFormAsync(client, StaffAuth.SignInPath, new() { ["Email"] = email, ["Password"] = StaffSession.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(SecondFactor.CodePath, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return client;
    }

    /// <summary>Posts a code on the code page; true when it opened the console (the redirect home and a working session).</summary>
    public static async Task<bool> CodeStepAsync(HttpClient client, string code)
    {
        using var response = await StaffSession.PostFormAsync(client, SecondFactor.CodePath, new() { ["Code"] = code });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            return false;
        }
        using var home = await client.GetAsync(Home);
        return home.StatusCode == HttpStatusCode.OK;
    }

    [GeneratedRegex("<code id=\"totp-secret\">([A-Z2-7]+)</code>")]
    private static partial Regex SecretShown();

    [GeneratedRegex("<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>")]
    private static partial Regex RecoveryCodeItem();
}
