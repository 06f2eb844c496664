using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// A staff session lives on the server: a copy of the cookie is worth nothing once the session
/// ended, whatever happens to the account afterwards.
/// </summary>
public sealed class StaffSessionEndTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly Uri Home = new("/", UriKind.Relative);

    [Fact]
    public async Task A_cookie_saved_before_sign_out_answers_302_to_the_sign_in_page_afterwards()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        var (client, cookie) = await StaffSession.SignInSavingCookieAsync(app, user.Email);
        using var _ = client;
        using var saved = StaffSession.Replaying(app, cookie);
        Assert.Equal(HttpStatusCode.OK, (await saved.GetAsync(Home)).StatusCode);

        await StaffSession.PostFormAsync(client, "/signout", [], formPage: "/");

        Assert.True(StaffSession.IsSignInRedirect(await saved.GetAsync(Home)), "the saved cookie still opens the console");
        var session = await db.StaffSessions.AsNoTracking().SingleAsync(s => s.StaffUserId == user.Id);
        Assert.NotNull(session.EndedAt);
        Assert.Equal("signout", session.EndReason);
    }

    [Fact]
    public async Task Sessions_ended_or_idle_longer_than_the_keeping_time_are_deleted_at_the_next_sign_in()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using (await StaffSession.SignInAsync(app, user.Email)) { }
        using (await StaffSession.SignInAsync(app, user.Email)) { }
        using (await StaffSession.SignInAsync(app, user.Email)) { }
        var ids = await db.StaffSessions.AsNoTracking().Where(s => s.StaffUserId == user.Id).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        var old = DateTime.UtcNow - StaffSessions.KeepEndedFor - TimeSpan.FromDays(1);
        var recent = DateTime.UtcNow - TimeSpan.FromDays(1);
        await db.StaffSessions.Where(s => s.Id == ids[0]).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, old).SetProperty(x => x.EndReason, "signout"));
        await db.StaffSessions.Where(s => s.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, old));
        await db.StaffSessions.Where(s => s.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, recent).SetProperty(x => x.EndReason, "signout"));

        using var client = await StaffSession.SignInAsync(app, user.Email);

        var left = await db.StaffSessions.AsNoTracking().Where(s => s.StaffUserId == user.Id).Select(s => s.Id).ToListAsync();
        Assert.DoesNotContain(ids[0], left);
        Assert.DoesNotContain(ids[1], left);
        Assert.Contains(ids[2], left);
        Assert.Equal(2, left.Count);
    }

    [Fact]
    public async Task A_cookie_saved_before_the_account_was_disabled_stays_refused_after_it_is_enabled_again()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var adminClient = await StaffSession.SignInAsync(app, admin.Email);
        var (client, cookie) = await StaffSession.SignInSavingCookieAsync(app, user.Email);
        using var _ = client;
        using var saved = StaffSession.Replaying(app, cookie);

        await ChangeAsync(adminClient, user.Id, "disable");
        await ChangeAsync(adminClient, user.Id, "enable");

        Assert.True(StaffSession.IsSignInRedirect(await saved.GetAsync(Home)), "the saved cookie opens the console again");
        Assert.True(StaffSession.IsSignInRedirect(await client.GetAsync(Home)), "the open session survived");
        Assert.Equal("disabled", (await db.StaffSessions.AsNoTracking().SingleAsync(s => s.StaffUserId == user.Id)).EndReason);
        using var again = await StaffSession.SignInAsync(app, user.Email);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(Home)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_saved_before_an_admin_password_reset_is_refused_afterwards()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using var adminClient = await StaffSession.SignInAsync(app, admin.Email);
        var (client, cookie) = await StaffSession.SignInSavingCookieAsync(app, user.Email);
        using var _ = client;
        using var saved = StaffSession.Replaying(app, cookie);

        await ChangeAsync(adminClient, user.Id, "reset");

        Assert.True(StaffSession.IsSignInRedirect(await saved.GetAsync(Home)));
        Assert.Equal("password_reset", (await db.StaffSessions.AsNoTracking().SingleAsync(s => s.StaffUserId == user.Id)).EndReason);
    }

    [Fact]
    public async Task A_cookie_saved_before_a_role_change_stays_refused_after_the_role_is_changed_back()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using var adminClient = await StaffSession.SignInAsync(app, admin.Email);
        var (client, cookie) = await StaffSession.SignInSavingCookieAsync(app, user.Email);
        using var _ = client;
        using var saved = StaffSession.Replaying(app, cookie);

        await ChangeAsync(adminClient, user.Id, "role", StaffRole.Analyst);
        await ChangeAsync(adminClient, user.Id, "role", StaffRole.Researcher);

        Assert.True(StaffSession.IsSignInRedirect(await saved.GetAsync(Home)), "the saved cookie opens the console again");
        Assert.Equal("role_change", (await db.StaffSessions.AsNoTracking().SingleAsync(s => s.StaffUserId == user.Id)).EndReason);
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_on_the_server_and_keeps_this_one()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        var (here, _) = await StaffSession.SignInSavingCookieAsync(app, user.Email);
        using var __ = here;
        var (elsewhere, elsewhereCookie) = await StaffSession.SignInSavingCookieAsync(app, user.Email);
        using var ___ = elsewhere;
        const string replacement = "violet river under the old bridge";

        var changed = await StaffSession.PostFormAsync(here, "/account/password",
            new() { ["Current"] = StaffSession.Password, ["Replacement"] = replacement, ["Confirmation"] = replacement });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync(Home)).StatusCode);
        using var saved = StaffSession.Replaying(app, elsewhereCookie);
        Assert.True(StaffSession.IsSignInRedirect(await saved.GetAsync(Home)));
        var sessions = await db.StaffSessions.AsNoTracking().Where(s => s.StaffUserId == user.Id).ToListAsync();
        Assert.Equal(2, sessions.Count);
        Assert.Single(sessions, s => s.EndedAt is null);
        Assert.Single(sessions, s => s.EndReason == "password_change");
    }

    [Fact]
    public async Task A_session_idle_for_longer_than_the_session_time_is_ended_on_the_server()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        var (client, cookie) = await StaffSession.SignInSavingCookieAsync(app, user.Email);
        using var _ = client;
        using var saved = StaffSession.Replaying(app, cookie);

        await db.StaffSessions.Where(s => s.StaffUserId == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, DateTime.UtcNow.AddMinutes(-481)));

        Assert.True(StaffSession.IsSignInRedirect(await saved.GetAsync(Home)));
        Assert.Equal("expired", (await db.StaffSessions.AsNoTracking().SingleAsync(s => s.StaffUserId == user.Id)).EndReason);
    }

    [Fact]
    public async Task Only_the_hash_of_a_session_id_is_stored_and_last_seen_moves_with_use()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var client = await StaffSession.SignInAsync(app, user.Email);
        var old = DateTime.UtcNow.AddMinutes(-30);
        await db.StaffSessions.Where(s => s.StaffUserId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, old));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Home)).StatusCode);

        var session = await db.StaffSessions.AsNoTracking().SingleAsync(s => s.StaffUserId == user.Id);
        Assert.Equal(32, session.Hash.Length);
        Assert.True(session.LastSeenAt > old.AddMinutes(29), "last seen did not move");
        Assert.Null(session.EndedAt);
    }

    private static async Task ChangeAsync(HttpClient admin, int userId, string change, string role = "")
    {
        var response = await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Change",
            new() { ["userId"] = userId.ToString(CultureInfo.InvariantCulture), ["change"] = change, ["role"] = role }, formPage: "/admin/accounts");
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"{change} answered {(int)response.StatusCode}");
    }
}
