using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Mail;

public sealed class MailHealthTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Health_reports_mail_unhealthy_when_the_relay_stays_unreachable_or_messages_keep_failing()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Mail:UnhealthyWhenFailedPerDay"] = "3" });
        using var client = app.CreateClient();
        await using var db = database.CreateContext();

        var body = await (await client.GetAsync(new Uri("/health", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.Contains("{\"name\":\"mail\",\"status\":\"Healthy\"", body, StringComparison.Ordinal);

        await db.Database.ExecuteSqlRawAsync("INSERT INTO mail_relays (name, next_free_at, unreachable_since) VALUES ('pickup', now(), now() - interval '1 hour')");
        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("mail relay pickup unreachable since", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await db.Database.ExecuteSqlRawAsync("UPDATE mail_relays SET unreachable_since = now() - interval '1 minute'");
        body = await (await client.GetAsync(new Uri("/health", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.Contains("{\"name\":\"mail\",\"status\":\"Healthy\"", body, StringComparison.Ordinal);
    }
}
