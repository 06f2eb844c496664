using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Admin;

/// <summary>
/// An admin sets another staff member's console language on the accounts page: stored, audited,
/// and used from that member's next sign-in; a language the console does not have is refused.
/// </summary>
public sealed class AccountLanguageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task An_admin_sets_another_members_console_language_with_an_audit_entry()
    {
        var (app, db, _, admin) = await console.StartAsync(StaffRole.Admin);
        await using var __ = app;
        var member = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync(new Uri("/admin/accounts", UriKind.Relative)));
        Assert.Contains($"<label for=\"language-{member.Id}\" class=\"visually-hidden\">Console language of {member.Email}</label>", page, StringComparison.Ordinal);

        var refused = await ChangeAsync(admin, member.Id, "de");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("en", (await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == member.Id)).Language);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "staff.language" && a.TargetId == member.Id.ToString(CultureInfo.InvariantCulture)));

        var set = await ChangeAsync(admin, member.Id, "pl");
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("pl", (await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == member.Id)).Language);
        await ConsoleActions.AssertAuditedAsync(db, "staff.language", member.Id);
        var listed = WebUtility.HtmlDecode(await admin.GetStringAsync(new Uri("/admin/accounts", UriKind.Relative)));
        Assert.Contains($"<option value=\"pl\" selected=\"selected\">Polski</option>", listed, StringComparison.Ordinal);

        using var signedIn = await StaffSession.SignInAsync(app, member.Email);
        var home = await signedIn.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<html lang=\"pl\">", home, StringComparison.Ordinal);
        Assert.Contains(">Wyloguj</button>", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_researcher_cannot_set_anyones_console_language()
    {
        var (app, db, _, researcher) = await console.StartAsync(StaffRole.Researcher);
        await using var __ = app;
        var member = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);

        var response = await ChangeAsync(researcher, member.Id, "da", formPage: "/account/language");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("en", (await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == member.Id)).Language);
    }

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient client, int userId, string language, string formPage = "/admin/accounts") =>
        StaffSession.PostFormAsync(client, "/admin/accounts?handler=Change",
            new() { ["userId"] = userId.ToString(CultureInfo.InvariantCulture), ["change"] = "language", ["language"] = language }, formPage: formPage);
}
