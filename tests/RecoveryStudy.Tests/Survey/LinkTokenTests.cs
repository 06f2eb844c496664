using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>The personal link: exchanged for a session, and no hint at all for anything that is not a live link.</summary>
public sealed class LinkTokenTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly Dictionary<string, string?> Unthrottled = new() { ["Participants:LinkRequestsPerMinute"] = "100000" };

    [Fact]
    public async Task A_live_link_becomes_a_session_cookie_and_a_redirect_without_the_token()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString, Unthrottled);
        using var client = new ParticipantClient(app);
        var response = await client.Http.GetAsync(new Uri("/s/" + world.SurveyToken, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/survey", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("rs_s=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(world.SurveyToken, cookie, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());

        await using var check = database.CreateContext();
        var invitation = await check.Invitations.SingleAsync(i => i.Id == world.Invitation.Id);
        Assert.NotNull(invitation.FirstOpenedAt);
        Assert.Equal(InvitationStatus.Opened, invitation.Status);
        Assert.Null(invitation.LastSavedAt);
    }

    [Fact]
    public async Task A_thousand_random_and_mutated_tokens_all_get_the_same_invalid_link_page()
    {
        SurveyWorld world;
        string revoked;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
            (revoked, var hash) = LinkTokens.Create();
            db.AccessTokens.Add(new AccessToken { Hash = hash, InvitationId = world.Invitation.Id, Purpose = TokenPurpose.Survey, CreatedAt = DateTime.UtcNow, RevokedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString, Unthrottled);
        using var client = new ParticipantClient(app);
        var reference = await client.Http.GetAsync(new Uri("/s/" + LinkTokens.Create().Token, UriKind.Relative));
        var referenceBody = await reference.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, reference.StatusCode);
        Assert.Contains("This link is not valid", referenceBody, StringComparison.Ordinal);

        var candidates = Candidates(world, revoked).ToList();
        Assert.True(candidates.Count >= 1000, $"only {candidates.Count} candidates");
        foreach (var token in candidates)
        {
            var response = await client.Http.GetAsync(new Uri("/s/" + token, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"'{token}' answered {(int)response.StatusCode}");
            Assert.Equal(referenceBody, await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.TryGetValues("Set-Cookie", out _), $"'{token}' set a cookie");
        }
        await using var check = database.CreateContext();
        Assert.Null((await check.Invitations.SingleAsync(i => i.Id == world.Invitation.Id)).FirstOpenedAt);
    }

    /// <summary>Random tokens, every kind of small damage to a live one, the wrong purpose, a revoked one, and junk.</summary>
    private static IEnumerable<string> Candidates(SurveyWorld world, string revoked)
    {
        var random = new Random(20261123);
        var live = world.SurveyToken;
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (var i = 0; i < 400; i++)
        {
            yield return LinkTokens.Create().Token;
        }
        for (var i = 0; i < 500; i++)
        {
            var chars = live.ToCharArray();
            var at = random.Next(chars.Length);
            yield return (i % 5) switch
            {
                0 => new string(chars.Select((c, k) => k == at ? alphabet[(alphabet.IndexOf(c, StringComparison.Ordinal) + 1 + random.Next(63)) % 64] : c).ToArray()),
                1 => live.Remove(at, 1),
                2 => live.Insert(at, alphabet[random.Next(64)].ToString()),
                3 => live[..at],
                _ => new string(chars.Select((c, k) => k == at && char.IsLetter(c) ? (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) : k == at ? '~' : c).ToArray()),
            };
        }
        yield return world.UnsubscribeToken;
        yield return live + "=";
        yield return live + "/";
        yield return live + "/extra";
        // (An encoded NUL is refused by Kestrel itself with 400 for every path, before any page runs: no hint either.)
        yield return live + "%01";
        yield return live.ToUpperInvariant();
        yield return Uri.EscapeDataString(live + "é");
        yield return "";
        yield return "%2e%2e%2fetc";
        yield return new string('A', LinkTokens.TokenLength);
        yield return new string('A', 2000);
        yield return Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        yield return Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(live)));
        yield return revoked;
        for (var i = 0; i < 90; i++)
        {
            var length = random.Next(1, 300);
            yield return Uri.EscapeDataString(new string(Enumerable.Range(0, length).Select(_ => (char)random.Next(33, 0x2FF)).ToArray()));
        }
    }
}
