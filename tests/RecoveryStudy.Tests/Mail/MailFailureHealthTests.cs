using System.Net;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// "Messages failing permanently is visible on /health and in the log, never silent": the real
/// dispatcher fails messages against the SMTP sink, the web host (on the same clock) reports it.
/// </summary>
public sealed class MailFailureHealthTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Permanent_failures_at_the_limit_turn_health_unhealthy_naming_mail_are_logged_and_clear_after_24_hours()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var logs = new CapturedLogs();
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Mail:UnhealthyWhenFailedPerDay"] = "3" },
            b =>
            {
                b.Services.AddSingleton<TimeProvider>(world.Clock);
                b.Logging.AddProvider(logs);
            });
        using var client = app.CreateClient();

        // Two refused recipients: below the limit, healthy, and the count is shown.
        foreach (var code in new[] { "P-f1", "P-f2" })
        {
            var p = await world.ParticipantAsync(code);
            sink.RejectRecipient(p.Contact!.Email, 550, "5.1.1 No such user");
        }
        await world.Jobs.TickAsync();
        var (status, mail) = await MailHealth.ReadAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", mail.Status);
        Assert.Contains("2 failed in 24 h", mail.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("failed for good", StringComparison.Ordinal));

        // The third reaches the limit: 503, the mail check names the cause, an error is logged.
        var third = await world.ParticipantAsync("P-f3");
        sink.RejectRecipient(third.Contact!.Email, 550, "5.1.1 No such user");
        await world.Jobs.TickAsync();
        (status, mail) = await MailHealth.ReadAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", mail.Status);
        Assert.Contains("too many permanent failures: 3 message(s) failed for good in the last 24 hours (limit 3)", mail.Description, StringComparison.Ordinal);
        var line = Assert.Single(logs.Lines, l => l.StartsWith("Error RecoveryStudy.Web.Health.MailHealthCheck:", StringComparison.Ordinal));
        Assert.StartsWith("Error RecoveryStudy.Web.Health.MailHealthCheck: 3 message(s) failed for good in the last 24 hours (limit 3)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("@", line, StringComparison.Ordinal);

        // Still red a little before the failures leave the 24-hour window, green after.
        world.Clock.Advance(TimeSpan.FromHours(23.9));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await MailHealth.ReadAsync(client)).Status);
        world.Clock.Advance(TimeSpan.FromHours(0.2));
        (status, mail) = await MailHealth.ReadAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", mail.Status);
        Assert.Contains("0 failed in 24 h", mail.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_limit_of_zero_is_refused_at_start()
    {
        var options = new RecoveryStudy.Mail.MailOptions { UnhealthyWhenFailedPerDay = 0 };
        Assert.Contains(options.Problems(), p => p.StartsWith("Mail:UnhealthyWhenFailedPerDay must be 1 or more", StringComparison.Ordinal));
        Assert.Empty(new RecoveryStudy.Mail.MailOptions().Problems());
    }
}
