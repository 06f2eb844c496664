using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>A new staff password must not be one an attacker tries first.</summary>
public sealed partial class PasswordPolicyTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData("aaaaaaaaaaaa", "repeats")]
    [InlineData("abab1212abab", "different characters")]
    [InlineData("123456789012", "sequence")]
    [InlineData("abcabcabcabc", "repeats")]
    [InlineData("qwertyuiopas", "sequence")]
    [InlineData("Password1234", "most common")]
    [InlineData("iloveyou2024!", "most common")]
    [InlineData("football12345", "most common")]
    [InlineData("P@ssw0rd2026!", "most common")]
    [InlineData("correct horse battery staple", "most common")]
    public async Task A_common_or_trivial_new_password_is_refused_next_to_the_field_and_nothing_changes(string replacement, string reason)
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using var client = await StaffSession.SignInAsync(app, user.Email);

        var answer = await StaffSession.PostFormAsync(client, "/account/password",
            new() { ["Current"] = StaffSession.Password, ["Replacement"] = replacement, ["Confirmation"] = replacement });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var message = FieldMessage().Match(await answer.Content.ReadAsStringAsync());
        Assert.True(message.Success, "no message next to the new password field");
        Assert.Contains(reason, message.Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal(user.PasswordHash, (await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).PasswordHash);
    }

    [Theory]
    [InlineData("Tr0ub4dor&3xyz")]
    [InlineData("a much longer new password")]
    [InlineData("violet river under the old bridge")]
    public void An_uncommon_password_of_enough_length_passes(string password) =>
        Assert.Null(StaffPasswordPolicy.Problem(password, 12));

    [Fact]
    public void The_embedded_list_holds_hundreds_of_common_passwords()
    {
        Assert.InRange(StaffPasswordPolicy.CommonPasswordCount, 300, 100_000);
        Assert.NotNull(StaffPasswordPolicy.Problem("password", 8));
        Assert.NotNull(StaffPasswordPolicy.Problem("short", 12));
    }

    [GeneratedRegex("data-valmsg-for=\"Replacement\"[^>]*>([^<]+)<")]
    private static partial Regex FieldMessage();
}
