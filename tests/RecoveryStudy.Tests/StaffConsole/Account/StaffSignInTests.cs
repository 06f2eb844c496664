using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole.Account;

public sealed class StaffSignInTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Sign_in_sets_a_strict_http_only_cookie_and_is_audited()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using var client = app.CreateClient(followRedirects: false);

        var response = await StaffSession.PostFormAsync(client, StaffAuth.SignInPath, new() { ["Email"] = user.Email, ["Password"] = StaffSession.Password });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(StaffAuth.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "signin" && a.StaffUserId == user.Id));
        Assert.NotNull((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).LastSignInAt);
        // The key that protects the cookie lives in PostgreSQL, so another node can read it.
        Assert.True(await db.DataProtectionKeys.AnyAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_and_each_failure_is_audited()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var client = app.CreateClient(followRedirects: false);

        for (var i = 0; i < new StaffAuthOptions().MaxFailedSignIns; i++)
        {
            var wrong = await StaffSession.PostFormAsync(client, StaffAuth.SignInPath, new() { ["Email"] = user.Email, ["Password"] = "wrong" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        var locked = await StaffSession.PostFormAsync(client, StaffAuth.SignInPath, new() { ["Email"] = user.Email, ["Password"] = StaffSession.Password });

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).LockedUntil);
        var failures = await db.AuditEntries.CountAsync(a => a.Action == "signin.failed" && a.TargetId == user.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(new StaffAuthOptions().MaxFailedSignIns + 1, failures);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.locked" && a.TargetId == user.Id.ToString(CultureInfo.InvariantCulture)));
        var details = await db.AuditEntries.Select(a => a.Details).ToListAsync();
        Assert.DoesNotContain(details, d => d != null && d.Contains(user.Email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_its_open_session_ends()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using var session = await StaffSession.SignInAsync(app, user.Email);

        user.Disabled = true;
        await db.SaveChangesAsync();

        var home = await session.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        using var client = app.CreateClient(followRedirects: false);
        var refused = await StaffSession.PostFormAsync(client, StaffAuth.SignInPath, new() { ["Email"] = user.Email, ["Password"] = StaffSession.Password });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var failure = await db.AuditEntries.SingleAsync(a => a.Action == "signin.failed" && a.TargetId == user.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Contains("Disabled", failure.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_password_keeps_this_session_and_ends_the_others()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        using var here = await StaffSession.SignInAsync(app, user.Email);
        using var elsewhere = await StaffSession.SignInAsync(app, user.Email);
        const string replacement = "a much longer new password";

        var changed = await StaffSession.PostFormAsync(here, "/account/password",
            new() { ["Current"] = StaffSession.Password, ["Replacement"] = replacement, ["Confirmation"] = replacement });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        using var again = await StaffSession.SignInAsync(app, user.Email, replacement);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.password_change" && a.StaffUserId == user.Id));
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_is_audited()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var client = await StaffSession.SignInAsync(app, user.Email);

        var signedOut = await StaffSession.PostFormAsync(client, "/signout", [], formPage: "/");

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "signout" && a.StaffUserId == user.Id));
    }

    [Fact]
    public async Task Sign_in_never_redirects_to_another_site()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var client = app.CreateClient(followRedirects: false);

        var response = await StaffSession.PostFormAsync(client, StaffAuth.SignInPath,
            new() { ["Email"] = user.Email, ["Password"] = StaffSession.Password, ["ReturnUrl"] = "https://evil.example/" });

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }
}
