using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// Sign-in through a real OpenID Connect provider on loopback (oidc-provider under node), driven
/// over HTTP as a browser would: the sign-in page's button, the provider's login form, the code
/// flow back to the console. A linked identity opens a server-side session; an unknown one is refused.
/// </summary>
public sealed class OidcSignInTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly Uri Home = new("/", UriKind.Relative);

    [Fact]
    public async Task An_identity_whose_verified_email_matches_an_account_links_to_it_and_opens_a_console_session()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher, email: $"alice-{Guid.NewGuid():N}@example.org");
        var accounts = new Dictionary<string, object> { ["alice"] = new { email = user.Email.ToUpperInvariant(), email_verified = true } };
        var (app, provider) = await StartAsync(accounts);
        await using var _ = app;
        await using var __ = provider;
        using var client = app.CreateClient(followRedirects: false);

        var landing = await OidcSteps.SignInAtProviderAsync(client, "alice");

        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Contains("id=\"continue\"", await landing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Home)).StatusCode);
        var stored = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Equal("alice", stored.OidcSubject);
        Assert.Equal(provider.Authority.ToString().TrimEnd('/'), stored.OidcIssuer!.TrimEnd('/'));
        Assert.Equal(1, await db.StaffSessions.CountAsync(s => s.StaffUserId == user.Id && s.EndedAt == null));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.oidc_link" && a.TargetId == user.Id.ToString(CultureInfo.InvariantCulture)));

        // Signing out ends the server-side session like any other.
        await StaffSession.PostFormAsync(client, "/signout", [], formPage: "/");
        Assert.Equal(0, await db.StaffSessions.CountAsync(s => s.StaffUserId == user.Id && s.EndedAt == null));
    }

    [Fact]
    public async Task An_account_linked_by_issuer_and_subject_opens_without_any_email_claim()
    {
        var port = OidcProvider.FreePort();
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        user.OidcIssuer = $"http://127.0.0.1:{port}";
        user.OidcSubject = "bob-7";
        await db.SaveChangesAsync();
        var (app, provider) = await StartAsync(new Dictionary<string, object>(), port);
        await using var _ = app;
        await using var __ = provider;
        using var client = app.CreateClient(followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, (await OidcSteps.SignInAtProviderAsync(client, "bob-7")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Home)).StatusCode);
        Assert.Equal(1, await db.StaffSessions.CountAsync(s => s.StaffUserId == user.Id && s.EndedAt == null));
    }

    [Fact]
    public async Task An_unknown_identity_or_an_unverified_email_is_refused_and_no_account_is_made_or_linked()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        var accounts = new Dictionary<string, object>
        {
            ["mallory"] = new { email = $"mallory-{Guid.NewGuid():N}@example.org", email_verified = true },
            ["eve"] = new { email = user.Email, email_verified = false },
        };
        var (app, provider) = await StartAsync(accounts);
        await using var _ = app;
        await using var __ = provider;
        var staffBefore = await db.StaffUsers.CountAsync();

        foreach (var login in new[] { "mallory", "eve", "nobody" })
        {
            using var client = app.CreateClient(followRedirects: false);
            var refused = await OidcSteps.SignInAtProviderAsync(client, login);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("id=\"external-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("/signin", refused.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.True(StaffSession.IsSignInRedirect(await client.GetAsync(Home)), $"{login} opened the console");
        }

        Assert.Equal(staffBefore, await db.StaffUsers.CountAsync());
        Assert.Null((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).OidcSubject);
        Assert.False(await db.StaffSessions.AnyAsync(s => s.StaffUserId == user.Id));
        var refusals = await db.AuditEntries.Where(a => a.Action == "signin.failed").Select(a => a.Details).ToListAsync();
        Assert.Equal(3, refusals.Count(d => d != null && d.Contains("UnknownIdentity", StringComparison.Ordinal)));
    }

    private Task<(TestApp App, OidcProvider Provider)> StartAsync(object accounts, int? port = null) =>
        OidcSteps.StartAsync(database.ConnectionString, accounts, port);
}
