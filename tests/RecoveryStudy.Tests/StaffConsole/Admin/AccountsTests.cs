using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Admin;

/// <summary>Staff accounts made and changed by admins take effect and are audited; bad addresses are refused.</summary>
public sealed class AccountsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Theory]
    [InlineData("paren(comment)@example.org", "holds a comment in parentheses")]
    [InlineData("colon:x@example.org", "is not a valid email address")]
    public async Task A_staff_address_the_mail_software_reads_otherwise_is_refused_and_no_account_is_made(string typed, string why)
    {
        var (app, db, _, admin) = await console.StartAsync(StaffRole.Admin);
        await using var _app = app;
        var before = await db.StaffUsers.CountAsync();

        var response = await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Create",
            new() { ["NewEmail"] = typed, ["NewRole"] = StaffRole.Researcher }, formPage: "/admin/accounts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(why, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(before, await db.StaffUsers.CountAsync());
    }

    [Fact]
    public async Task Admins_create_re_role_and_disable_accounts_with_audit_entries()
    {
        var (app, db, _, admin) = await console.StartAsync(StaffRole.Admin);
        await using var __ = app;
        var email = $"new-{Guid.NewGuid():N}@example.org";

        var created = await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Create", new() { ["NewEmail"] = email, ["NewRole"] = StaffRole.Analyst }, formPage: "/admin/accounts");
        var body = await created.Content.ReadAsStringAsync();
        var user = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Email == email);
        Assert.Contains("issued-password", body, StringComparison.Ordinal);
        await ConsoleActions.AssertAuditedAsync(db, "staff.create", user.Id);

        await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Change",
            new() { ["userId"] = user.Id.ToString(CultureInfo.InvariantCulture), ["change"] = "role", ["role"] = StaffRole.Researcher }, formPage: "/admin/accounts");
        Assert.Equal(StaffRole.Researcher, (await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).Role);
        await ConsoleActions.AssertAuditedAsync(db, "staff.role_change", user.Id);

        await StaffSession.PostFormAsync(admin, "/admin/accounts?handler=Change",
            new() { ["userId"] = user.Id.ToString(CultureInfo.InvariantCulture), ["change"] = "disable" }, formPage: "/admin/accounts");
        Assert.True((await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).Disabled);
        await ConsoleActions.AssertAuditedAsync(db, "staff.disable", user.Id);

        // The audit log page lists and filters these entries.
        var log = await admin.GetStringAsync(new Uri("/admin/audit?action=staff", UriKind.Relative));
        Assert.Contains("staff.disable", log, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"signin\"", log, StringComparison.Ordinal);
    }
}
