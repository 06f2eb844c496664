using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;
using static RecoveryStudy.Tests.StaffConsole.Account.SecondFactorSteps;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// TOTP after the password: enrolment confirmed by a code, wrong and replayed codes refused,
/// recovery codes used once, admins kept on the enrolment page until they have one, and an
/// admin's reset of another account's second factor.
/// </summary>
public sealed class SecondFactorTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task After_enrolment_a_wrong_code_is_refused_and_the_right_one_opens_the_console()
    {
        var clock = Clock();
        await using var app = await StartAsync(database.ConnectionString, clock);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using (var first = await StaffSession.SignInAsync(app, user.Email))
        {
            var pending = await SecretShownAsync(first);
            using var wrong = await StaffSession.PostFormAsync(first, SecondFactor.EnrolPath, new() { ["Code"] = Code(pending, clock, stepsAway: 4) });
            Assert.Contains("does not fit the key", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Null((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).TotpConfirmedAt);
        }
        using var enrolling = await StaffSession.SignInAsync(app, user.Email);
        var (secret, _) = await EnrolAsync(enrolling, clock);
        var stored = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.NotNull(stored.TotpConfirmedAt);
        Assert.DoesNotContain(secret, stored.TotpSecret!, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(30));

        using var client = await PasswordStepAsync(app, user.Email);
        Assert.True(StaffSession.IsSignInRedirect(await client.GetAsync(Home)), "the password alone opened the console");
        Assert.False(await CodeStepAsync(client, Code(secret, clock, stepsAway: 3)));
        Assert.False(await CodeStepAsync(client, "12345"));
        Assert.True(StaffSession.IsSignInRedirect(await client.GetAsync(Home)), "a wrong code opened the console");
        Assert.True(await CodeStepAsync(client, Code(secret, clock)));

        var target = user.Id.ToString(CultureInfo.InvariantCulture);
        var refusals = await db.AuditEntries.Where(a => a.Action == "signin.failed" && a.TargetId == target).Select(a => a.Details).ToListAsync();
        Assert.Equal(2, refusals.Count(d => d != null && d.Contains("WrongCode", StringComparison.Ordinal)));
        var signIns = await db.AuditEntries.Where(a => a.Action == "signin" && a.TargetId == target).Select(a => a.Details).ToListAsync();
        Assert.Contains(signIns, d => d != null && d.Contains("totp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_code_that_opened_a_session_is_refused_the_second_time_and_so_is_an_older_one()
    {
        var clock = Clock();
        await using var app = await StartAsync(database.ConnectionString, clock);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var enrolling = await StaffSession.SignInAsync(app, user.Email);
        var (secret, _) = await EnrolAsync(enrolling, clock);
        clock.Advance(TimeSpan.FromSeconds(60));

        using var first = await PasswordStepAsync(app, user.Email);
        Assert.True(await CodeStepAsync(first, Code(secret, clock)));
        using var replay = await PasswordStepAsync(app, user.Email);
        Assert.False(await CodeStepAsync(replay, Code(secret, clock)));
        Assert.False(await CodeStepAsync(replay, Code(secret, clock, stepsAway: -1)));

        // The next step's code (within the window of one step) still works, once.
        Assert.True(await CodeStepAsync(replay, Code(secret, clock, stepsAway: 1)));
    }

    [Fact]
    public async Task A_recovery_code_replaces_the_app_once_and_is_stored_only_as_a_hash()
    {
        var clock = Clock();
        await using var app = await StartAsync(database.ConnectionString, clock);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using var enrolling = await StaffSession.SignInAsync(app, user.Email);
        var (_, recovery) = await EnrolAsync(enrolling, clock);
        Assert.Equal(StaffTotp.RecoveryCodeCount, recovery.Distinct().Count());
        var hashes = await db.RecoveryCodes.AsNoTracking().Where(c => c.StaffUserId == user.Id).Select(c => c.Hash).ToListAsync();
        Assert.Equal(StaffTotp.RecoveryCodeCount, hashes.Count);
        Assert.DoesNotContain(hashes, h => Encoding.ASCII.GetString(h).Contains(recovery[0].Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

        using var first = await PasswordStepAsync(app, user.Email);
        Assert.True(await CodeStepAsync(first, recovery[0].ToUpperInvariant()));
        using var again = await PasswordStepAsync(app, user.Email);
        Assert.False(await CodeStepAsync(again, recovery[0]));
        Assert.True(await CodeStepAsync(again, recovery[1]));
        Assert.Equal(StaffTotp.RecoveryCodeCount - 2, await db.RecoveryCodes.CountAsync(c => c.StaffUserId == user.Id && c.UsedAt == null));
    }

    [Fact]
    public async Task An_admin_without_a_second_factor_reaches_only_the_enrolment_page_until_enrolled()
    {
        var clock = Clock();
        await using var app = await StartAsync(database.ConnectionString, clock);
        await using var db = database.CreateContext();
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        using var client = app.CreateClient(followRedirects: false);
        using var signedIn = await StaffSession.PostFormAsync(client, StaffAuth.SignInPath, new() { ["Email"] = admin.Email, ["Password"] = StaffSession.Password });
        Assert.Equal(SecondFactor.EnrolPath, signedIn.Headers.Location?.OriginalString);

        foreach (var path in new[] { "/", "/admin/accounts", "/admin/audit", "/account/password", "/hangfire" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == SecondFactor.EnrolPath,
                $"{path} answered {(int)response.StatusCode} {response.Headers.Location}");
        }

        await EnrolAsync(client, clock);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/admin/accounts", UriKind.Relative))).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(30));
        using var next = await PasswordStepAsync(app, admin.Email);
    }

    [Fact]
    public async Task An_admin_reset_removes_another_accounts_second_factor_ends_its_sessions_and_is_audited()
    {
        var clock = Clock();
        await using var app = await StartAsync(database.ConnectionString, clock, requireForAdmins: false);
        await using var db = database.CreateContext();
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using var session = await StaffSession.SignInAsync(app, user.Email);
        await EnrolAsync(session, clock);
        using var adminClient = await StaffSession.SignInAsync(app, admin.Email);

        using var reset = await StaffSession.PostFormAsync(adminClient, "/admin/accounts?handler=Change",
            new() { ["userId"] = user.Id.ToString(CultureInfo.InvariantCulture), ["change"] = "second_factor" }, formPage: "/admin/accounts");

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.True(StaffSession.IsSignInRedirect(await session.GetAsync(Home)), "the session outlived the reset");
        var stored = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Null(stored.TotpSecret);
        Assert.Null(stored.TotpConfirmedAt);
        Assert.False(await db.RecoveryCodes.AnyAsync(c => c.StaffUserId == user.Id));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.second_factor_reset" && a.StaffUserId == admin.Id
            && a.TargetId == user.Id.ToString(CultureInfo.InvariantCulture)));
        using var passwordOnly = await StaffSession.SignInAsync(app, user.Email);
        Assert.Equal(HttpStatusCode.OK, (await passwordOnly.GetAsync(Home)).StatusCode);
    }
}
