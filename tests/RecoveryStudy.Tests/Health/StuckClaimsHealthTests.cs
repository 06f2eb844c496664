using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Health;

public sealed class StuckClaimsHealthTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Health_turns_red_when_messages_stay_sending_a_lease_after_their_claim_ran_out()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        await world.ParticipantAsync("S-1");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Mail:ClaimLease"] = "00:01:00" });
        using var client = app.CreateClient();

        // Claimed by a dispatcher that died: its claim ran out 30 seconds ago, within a lease of that.
        await world.Db.Database.ExecuteSqlRawAsync(
            "UPDATE messages SET status = 'sending', claimed_by = 'dead/1/x', claimed_until = now() - interval '30 seconds'");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);

        await world.Db.Database.ExecuteSqlRawAsync("UPDATE messages SET claimed_until = now() - interval '2 minutes'");
        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("message(s) stuck in ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
