using System.Net;
using System.Text.RegularExpressions;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy (here: X-Forwarded-Proto from a known proxy) cookies are Secure;
/// with Security:Hsts on, browsers are told to keep to HTTPS and every cookie is Secure.
/// </summary>
public sealed partial class TransportSecurityTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string PublicHost = "study.example.org";

    [Fact]
    public async Task Over_https_the_anti_forgery_and_staff_cookies_are_secure_and_over_plain_http_they_are_not()
    {
        await using var app = await StartAsync(hsts: false);
        using var client = NoCookieClient(app);

        var plain = await client.SendAsync(Request(HttpMethod.Get, StaffAuth.SignInPath, https: false));
        Assert.False(IsSecure(Cookie(plain, "rs_af")), "rs_af over http");

        var form = await client.SendAsync(Request(HttpMethod.Get, StaffAuth.SignInPath, https: true));
        var antiforgery = Cookie(form, "rs_af");
        Assert.True(IsSecure(antiforgery), $"rs_af over https: {antiforgery}");

        string email;
        await using (var db = database.CreateContext())
        {
            email = (await StaffSession.CreateUserAsync(db, StaffRole.Researcher)).Email;
        }
        var signIn = Request(HttpMethod.Post, StaffAuth.SignInPath, https: true);
        signIn.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        signIn.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = StaffSession.Password, ["__rs_af"] = FormToken(await form.Content.ReadAsStringAsync()),
        });
        var signedIn = await client.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.True(IsSecure(Cookie(signedIn, StaffAuth.CookieName)), "staff cookie over https");
    }

    [Fact]
    public async Task With_Security_Hsts_on_https_answers_carry_strict_transport_security_and_cookies_are_always_secure()
    {
        await using var app = await StartAsync(hsts: true);
        using var client = NoCookieClient(app);

        var https = await client.SendAsync(Request(HttpMethod.Get, StaffAuth.SignInPath, https: true));
        Assert.Equal("max-age=31536000", string.Join(",", https.Headers.GetValues("Strict-Transport-Security")));
        var plain = await client.SendAsync(Request(HttpMethod.Get, StaffAuth.SignInPath, https: false));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"), "HSTS is for HTTPS answers only");
        Assert.True(IsSecure(Cookie(plain, "rs_af")), "rs_af with HSTS on, even over http");
    }

    [Fact]
    public async Task Without_Security_Hsts_no_answer_carries_strict_transport_security()
    {
        await using var app = await StartAsync(hsts: false);
        using var client = NoCookieClient(app);
        var https = await client.SendAsync(Request(HttpMethod.Get, StaffAuth.SignInPath, https: true));
        Assert.Equal(HttpStatusCode.OK, https.StatusCode);
        Assert.False(https.Headers.Contains("Strict-Transport-Security"));
    }

    private Task<TestApp> StartAsync(bool hsts) => TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?>
    {
        ["ReverseProxy:KnownProxies"] = "127.0.0.1,::1",
        ["Security:Hsts"] = hsts ? "true" : "false",
    });

    /// <summary>Cookies handled by hand: a client's cookie jar would not send a Secure cookie back over the test's plain HTTP.</summary>
    private static HttpClient NoCookieClient(TestApp app) =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    /// <summary>A request as the proxy forwards it: the public host name, and the scheme the browser used.</summary>
    private static HttpRequestMessage Request(HttpMethod method, string path, bool https)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = PublicHost;
        request.Headers.Add("X-Forwarded-For", "203.0.113.10");
        request.Headers.Add("X-Forwarded-Proto", https ? "https" : "http");
        return request;
    }

    private static string Cookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal)) is { } cookie
            ? cookie
            : throw new InvalidOperationException($"no {name} cookie in the answer ({(int)response.StatusCode})");

    private static bool IsSecure(string setCookie) =>
        setCookie.Split(';').Any(part => part.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    private static string FormToken(string html) =>
        WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__rs_af\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
