using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Api;

namespace RecoveryStudy.Tests.Api;

/// <summary>API tokens expire, are revoked with the account's access, and can be seen and revoked in the console.</summary>
public sealed class ApiTokenLifecycleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_expired_token_is_refused_and_one_not_yet_expired_works()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        var lasting = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, user, "lasting", DateTime.UtcNow.AddDays(1), CancellationToken.None);
        var expiring = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, user, "expiring", DateTime.UtcNow.AddDays(1), CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await AskAsync(app, expiring));

        await db.ApiTokens.Where(t => t.Name == "expiring" && t.StaffUserId == user.Id)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));

        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(app, expiring));
        Assert.Equal(HttpStatusCode.OK, await AskAsync(app, lasting));
    }

    [Fact]
    public async Task Disabling_an_account_revokes_its_tokens_so_enabling_it_again_does_not_bring_them_back()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        var token = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, user, "laptop", CancellationToken.None);
        using var admin = await SignedInAdminAsync(app, db);

        await ChangeAsync(admin, user.Id, "disable");
        await ChangeAsync(admin, user.Id, "enable");

        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(app, token));
        Assert.NotNull((await db.ApiTokens.AsNoTracking().SingleAsync(t => t.StaffUserId == user.Id)).RevokedAt);
    }

    [Fact]
    public async Task An_admin_password_reset_revokes_the_accounts_tokens()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        var token = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, user, "laptop", CancellationToken.None);
        using var admin = await SignedInAdminAsync(app, db);
        Assert.Equal(HttpStatusCode.OK, await AskAsync(app, token));

        await ChangeAsync(admin, user.Id, "reset");

        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(app, token));
    }

    [Fact]
    public async Task The_token_page_shows_staff_their_own_tokens_with_last_use_and_admins_every_token()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var owner = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        var other = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        var used = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, owner, "used-token", CancellationToken.None);
        await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, other, "others-token", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await AskAsync(app, used));
        using var ownerClient = await StaffSession.SignInAsync(app, owner.Email);
        using var admin = await SignedInAdminAsync(app, db);

        var own = await ownerClient.GetStringAsync(new Uri("/account/tokens", UriKind.Relative));
        var all = await admin.GetStringAsync(new Uri("/account/tokens", UriKind.Relative));

        Assert.Contains("used-token", own, StringComparison.Ordinal);
        Assert.DoesNotContain("others-token", own, StringComparison.Ordinal);
        // Shown in the console's zone (the studies' one, else UTC), which is past midnight before UTC is.
        var lastUsed = System.Text.RegularExpressions.Regex.Match(own, "class=\"last-used\">(?<day>\\d{4}-\\d{2}-\\d{2}) \\d{2}:\\d{2} \\((?<zone>[^)]+)\\)");
        Assert.True(lastUsed.Success, "the token's last use is not shown as a time");
        var zone = NodaTime.DateTimeZoneProviders.Tzdb[lastUsed.Groups["zone"].Value];
        var today = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(zone).Date;
        Assert.Contains(lastUsed.Groups["day"].Value, new[] { today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), today.PlusDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        Assert.Contains("used-token", all, StringComparison.Ordinal);
        Assert.Contains("others-token", all, StringComparison.Ordinal);
        Assert.Contains(other.Email, all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_on_the_token_page_ends_the_token_and_is_audited_and_only_an_admin_may_revoke_anothers()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var owner = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        var other = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        var mine = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, owner, "mine", CancellationToken.None);
        var theirs = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, other, "theirs", CancellationToken.None);
        var mineId = (await db.ApiTokens.SingleAsync(t => t.StaffUserId == owner.Id)).Id;
        var theirsId = (await db.ApiTokens.SingleAsync(t => t.StaffUserId == other.Id)).Id;
        using var ownerClient = await StaffSession.SignInAsync(app, owner.Email);
        using var admin = await SignedInAdminAsync(app, db);

        var refused = await RevokeAsync(ownerClient, theirsId);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await AskAsync(app, theirs));

        Assert.Equal(HttpStatusCode.Redirect, (await RevokeAsync(ownerClient, mineId)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(app, mine));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "apitoken.revoke" && a.StaffUserId == owner.Id && a.TargetId == mineId.ToString(CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.Redirect, (await RevokeAsync(admin, theirsId)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(app, theirs));
    }

    private async Task<HttpStatusCode> AskAsync(TestApp app, string token)
    {
        using var client = app.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri($"/api/studies/{study}/responses", UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task<HttpClient> SignedInAdminAsync(TestApp app, StudyDbContext db) =>
        await StaffSession.SignInAsync(app, (await StaffSession.CreateUserAsync(db, StaffRole.Admin)).Email);

    private static Task<HttpResponseMessage> RevokeAsync(HttpClient client, int tokenId) =>
        StaffSession.PostFormAsync(client, "/account/tokens?handler=Revoke",
            new() { ["tokenId"] = tokenId.ToString(CultureInfo.InvariantCulture) }, formPage: "/account/tokens");

    private static async Task ChangeAsync(HttpClient admin, int userId, string change)
    {
        var response = await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Change",
            new() { ["userId"] = userId.ToString(CultureInfo.InvariantCulture), ["change"] = change }, formPage: "/admin/accounts");
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"{change} answered {(int)response.StatusCode}");
    }
}
