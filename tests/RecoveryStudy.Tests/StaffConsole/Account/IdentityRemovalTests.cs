using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// Removing an identity, with the real provider: an account without a password cannot remove its
/// only way in, and a removed identity does not link itself again through its verified email.
/// </summary>
public sealed class IdentityRemovalTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Page = "/account/sign-in-methods";
    private static readonly Uri Home = new("/", UriKind.Relative);

    [Fact]
    public async Task An_account_without_a_password_cannot_remove_its_only_identity()
    {
        var port = OidcProvider.FreePort();
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        user.PasswordHash = "";
        user.OidcIssuer = $"http://127.0.0.1:{port}";
        user.OidcSubject = "solo";
        await db.SaveChangesAsync();
        var (app, provider) = await OidcSteps.StartAsync(database.ConnectionString, new Dictionary<string, object>(), port);
        await using var _ = app;
        await using var __ = provider;
        using var client = app.CreateClient(followRedirects: false);
        Assert.Equal(HttpStatusCode.OK, (await OidcSteps.SignInAtProviderAsync(client, "solo")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Home)).StatusCode);

        using var refused = await StaffSession.PostFormAsync(client, Page + "?handler=Unlink", new() { ["Proof"] = "anything" }, formPage: Page);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("it is your only way to sign in", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var kept = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Equal("solo", kept.OidcSubject);
        Assert.Null(kept.OidcUnlinkedAt);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Home)).StatusCode);
    }

    [Fact]
    public async Task A_removed_identity_does_not_link_itself_again_by_its_verified_email()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst, email: $"dave-{Guid.NewGuid():N}@example.org");
        var accounts = new Dictionary<string, object> { ["dave"] = new { email = user.Email, email_verified = true } };
        var (app, provider) = await OidcSteps.StartAsync(database.ConnectionString, accounts);
        await using var _ = app;
        await using var __ = provider;
        using (var linked = app.CreateClient(followRedirects: false))
        {
            await OidcSteps.SignInAtProviderAsync(linked, "dave");
            Assert.Equal(HttpStatusCode.OK, (await linked.GetAsync(Home)).StatusCode);
        }
        using var owner = await StaffSession.SignInAsync(app, user.Email);
        using var removed = await StaffSession.PostFormAsync(owner, Page + "?handler=Unlink", new() { ["Proof"] = StaffSession.Password }, formPage: Page);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);

        using var again = app.CreateClient(followRedirects: false);
        var refused = await OidcSteps.SignInAtProviderAsync(again, "dave");

        Assert.Contains("id=\"external-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(StaffSession.IsSignInRedirect(await again.GetAsync(Home)), "the removed identity opened the console");
        Assert.Null((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).OidcSubject);
    }
}
