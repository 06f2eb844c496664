using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using static RecoveryStudy.Tests.StaffConsole.Account.SecondFactorSteps;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// The sign-in methods page: removing the linked identity needs the current password (or a fresh
/// TOTP code) and is audited, a wrong proof changes nothing; new recovery codes need a fresh TOTP
/// code and void the old ones at once; an admin's removal ends the account's sessions.
/// </summary>
public sealed class SignInMethodsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Page = "/account/sign-in-methods";
    private const string Issuer = "https://login.example.org/tenant";

    [Fact]
    public async Task Removing_the_identity_with_a_wrong_password_changes_nothing_and_with_the_right_one_is_audited()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await LinkedUserAsync(db, StaffRole.Researcher);
        using var client = await StaffSession.SignInAsync(app, user.Email);
        var shown = await client.GetStringAsync(new Uri(Page, UriKind.Relative));
        Assert.Contains(Issuer, shown, StringComparison.Ordinal);

        using var wrong = await Unlink(client, "not the password at all");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("neither your current password nor a valid code", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var kept = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Equal((user.OidcSubject, Issuer), (kept.OidcSubject, kept.OidcIssuer));
        Assert.Null(kept.OidcUnlinkedAt);
        Assert.True(await AuditedAsync(db, "staff.oidc_unlink_refused", user.Id));
        Assert.False(await AuditedAsync(db, "staff.oidc_unlink", user.Id));

        using var right = await Unlink(client, StaffSession.Password);
        Assert.True(right.StatusCode == HttpStatusCode.Redirect, $"{(int)right.StatusCode} {await right.Content.ReadAsStringAsync()}");
        var removed = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Null(removed.OidcSubject);
        Assert.Null(removed.OidcIssuer);
        Assert.NotNull(removed.OidcUnlinkedAt);
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "staff.oidc_unlink" && a.TargetId == Target(user.Id));
        Assert.Contains(Issuer, entry.Details, StringComparison.Ordinal);
        Assert.Contains("id=\"no-identity\"", await client.GetStringAsync(new Uri(Page, UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fresh_code_from_the_app_also_removes_the_identity_but_a_used_one_does_not()
    {
        var clock = Clock();
        await using var app = await StartAsync(database.ConnectionString, clock, requireForAdmins: false);
        await using var db = database.CreateContext();
        var user = await LinkedUserAsync(db, StaffRole.Analyst);
        using var client = await StaffSession.SignInAsync(app, user.Email);
        var (secret, _) = await EnrolAsync(client, clock);

        // The enrolment's own code was used already: refused, as any code of a step already taken.
        using var used = await Unlink(client, Code(secret, clock));
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.NotNull((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).OidcSubject);

        clock.Advance(TimeSpan.FromSeconds(30));
        using var fresh = await Unlink(client, Code(secret, clock));
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.Null((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).OidcSubject);
    }

    [Fact]
    public async Task New_recovery_codes_need_a_fresh_code_and_void_the_old_ones_at_once()
    {
        var clock = Clock();
        await using var app = await StartAsync(database.ConnectionString, clock, requireForAdmins: false);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using var client = await StaffSession.SignInAsync(app, user.Email);
        var (secret, oldCodes) = await EnrolAsync(client, clock);
        clock.Advance(TimeSpan.FromSeconds(30));

        // A wrong code, and an old recovery code in place of a TOTP code, are refused and change nothing.
        foreach (var wrong in new[] { Code(secret, clock, stepsAway: 5), oldCodes[0] })
        {
            using var refused = await Regenerate(client, wrong);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.DoesNotContain("id=\"recovery-codes\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(8, await db.RecoveryCodes.CountAsync(c => c.StaffUserId == user.Id && c.UsedAt == null));
        Assert.False(await AuditedAsync(db, "staff.recovery_codes_regenerate", user.Id));

        using var made = await Regenerate(client, Code(secret, clock));
        var newCodes = RecoveryCodes(await made.Content.ReadAsStringAsync());
        Assert.Equal(8, newCodes.Length);
        Assert.Empty(newCodes.Intersect(oldCodes));
        Assert.True(await AuditedAsync(db, "staff.recovery_codes_regenerate", user.Id));
        // Shown once: the page shows them no more.
        Assert.Empty(RecoveryCodes(await client.GetStringAsync(new Uri(Page, UriKind.Relative))));

        using (var withOld = await PasswordStepAsync(app, user.Email))
        {
            Assert.False(await CodeStepAsync(withOld, oldCodes[1]), "an old recovery code still opened the console");
        }
        using (var withNew = await PasswordStepAsync(app, user.Email))
        {
            Assert.True(await CodeStepAsync(withNew, newCodes[0]), "a new recovery code was refused");
        }
        using var again = await PasswordStepAsync(app, user.Email);
        Assert.False(await CodeStepAsync(again, newCodes[0]), "a new recovery code worked twice");
    }

    [Fact]
    public async Task An_admin_removes_another_accounts_identity_audited_and_its_sessions_end()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        var user = await LinkedUserAsync(db, StaffRole.Researcher);
        using var theirs = await StaffSession.SignInAsync(app, user.Email);
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync(Home)).StatusCode);
        using var client = await StaffSession.SignInAsync(app, admin.Email);

        using var removed = await StaffSession.PostFormAsync(client, "/admin/accounts?handler=Change",
            new() { ["userId"] = user.Id.ToString(CultureInfo.InvariantCulture), ["change"] = "oidc_unlink" }, formPage: "/admin/accounts");

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Null((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).OidcSubject);
        Assert.True(StaffSession.IsSignInRedirect(await theirs.GetAsync(Home)), "the account's session went on");
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "staff.oidc_unlink" && a.TargetId == Target(user.Id));
        Assert.Contains("admin", entry.Details, StringComparison.Ordinal);
        Assert.Equal(admin.Id, entry.StaffUserId);
    }

    private static async Task<StaffUser> LinkedUserAsync(StudyDbContext db, string role)
    {
        var user = await StaffSession.CreateUserAsync(db, role);
        user.OidcIssuer = Issuer;
        user.OidcSubject = $"alice-{Guid.NewGuid():N}";
        user.OidcLinkedAt = DateTime.UtcNow.AddDays(-3);
        await db.SaveChangesAsync();
        return user;
    }

    private static Task<HttpResponseMessage> Unlink(HttpClient client, string proof) =>
        StaffSession.PostFormAsync(client, Page + "?handler=Unlink", new() { ["Proof"] = proof }, formPage: Page);

    private static Task<HttpResponseMessage> Regenerate(HttpClient client, string code) =>
        StaffSession.PostFormAsync(client, Page + "?handler=RecoveryCodes", new() { ["Code"] = code }, formPage: Page);

    private static string[] RecoveryCodes(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<li><code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code></li>").Select(m => m.Groups[1].Value).ToArray();

    private static Task<bool> AuditedAsync(StudyDbContext db, string action, int userId) =>
        db.AuditEntries.AnyAsync(a => a.Action == action && a.TargetId == Target(userId));

    private static string Target(int id) => id.ToString(CultureInfo.InvariantCulture);
}
