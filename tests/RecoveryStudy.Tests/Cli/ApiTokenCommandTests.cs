using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Cli;

/// <summary>`api-token issue|list|revoke` as an operator runs them: output, exit codes and what they store.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ApiTokenCommandTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2027, 2, 1, 10, 0, 0, TimeSpan.Zero));

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliRun.RunAsync(database.ConnectionString, Clock, args);

    [Fact]
    public async Task A_token_issued_with_an_expiry_is_listed_with_its_owner_and_dates_and_can_be_revoked_once()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        var other = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);

        var (code, _, error) = await RunAsync("api-token", "issue", "--email", user.Email, "--name", "laptop R", "--expires-in-days", "30");
        Assert.True(code == 0, error);
        var token = await db.ApiTokens.AsNoTracking().SingleAsync(t => t.StaffUserId == user.Id);
        Assert.Equal(new DateTime(2027, 3, 3, 10, 0, 0, DateTimeKind.Utc), token.ExpiresAt);
        var id = token.Id.ToString(CultureInfo.InvariantCulture);

        (code, var listing, _) = await RunAsync("api-token", "list", "--email", user.Email);
        Assert.Equal(0, code);
        var line = Assert.Single(listing.Split('\n'), l => l.StartsWith(id + " ", StringComparison.Ordinal));
        Assert.Contains(user.Email, line, StringComparison.Ordinal);
        Assert.Contains("laptop R", line, StringComparison.Ordinal);
        Assert.Contains("2027-03-03 10:00", line, StringComparison.Ordinal);
        Assert.Contains("never", line, StringComparison.Ordinal);
        Assert.Contains("active", line, StringComparison.Ordinal);
        (_, var othersListing, _) = await RunAsync("api-token", "list", "--email", other.Email);
        Assert.DoesNotContain("laptop R", othersListing, StringComparison.Ordinal);

        (code, var output, _) = await RunAsync("api-token", "revoke", "--id", id);
        Assert.Equal(0, code);
        Assert.Contains($"Revoked API token {id}", output, StringComparison.Ordinal);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, (await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == token.Id)).RevokedAt);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "apitoken.revoke" && a.ActorKind == "cli" && a.TargetId == id));
        (_, listing, _) = await RunAsync("api-token", "list");
        Assert.Contains("revoked", Assert.Single(listing.Split('\n'), l => l.StartsWith(id + " ", StringComparison.Ordinal)), StringComparison.Ordinal);

        (code, _, error) = await RunAsync("api-token", "revoke", "--id", id);
        Assert.Equal(1, code);
        Assert.Contains("already revoked", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("api-token", "revoke", "--id", "999999");
        Assert.Equal(1, code);
        Assert.Contains("--id: no API token 999999", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_takes_an_expiry_date_and_refuses_one_in_the_past_or_two_expiries_storing_nothing()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);

        var (code, _, error) = await RunAsync("api-token", "issue", "--email", user.Email, "--expires", "2027-01-31");
        Assert.Equal(2, code);
        Assert.Contains("--expires: 2027-01-31 is not after today", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("api-token", "issue", "--email", user.Email, "--expires", "2027-06-01", "--expires-in-days", "3");
        Assert.Equal(2, code);
        Assert.Contains("either --expires or --expires-in-days", error, StringComparison.Ordinal);
        Assert.False(await db.ApiTokens.AnyAsync(t => t.StaffUserId == user.Id));

        (code, _, error) = await RunAsync("api-token", "issue", "--email", user.Email, "--expires", "2027-06-01");
        Assert.True(code == 0, error);
        Assert.Equal(new DateTime(2027, 6, 1, 0, 0, 0, DateTimeKind.Utc), (await db.ApiTokens.AsNoTracking().SingleAsync(t => t.StaffUserId == user.Id)).ExpiresAt);
    }
}
