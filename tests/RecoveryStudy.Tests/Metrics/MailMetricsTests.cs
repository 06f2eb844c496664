using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Mail;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Metrics;

/// <summary>The outbox counters on /metrics move as the host's own plan job queues and its dispatcher sends to the SMTP sink.</summary>
public sealed class MailMetricsTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Metrics_show_the_queue_and_send_counters_moving_while_the_dispatcher_sends()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        await world.EnrollAsync(6, "MM-");
        var clock = new FakeTimeProvider(MailWorld.DueMoment);
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Mail:Transport"] = "smtp",
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:RatePerMinute"] = "0",
        }, b => b.Services.AddSingleton<TimeProvider>(clock));
        using var http = app.CreateClient();
        var relay = ("relay", $"smtp:127.0.0.1:{sink.Port}");
        var before = await MetricsAsync(http);

        await app.Services.GetRequiredService<PlanJob>().RunAsync(CancellationToken.None);
        var planned = await MetricsAsync(http, t => Count(t, "recoverystudy_mail_queued_total") >= Count(before, "recoverystudy_mail_queued_total") + 6);
        Assert.True(Count(planned, "recoverystudy_mail_queued_total") >= Count(before, "recoverystudy_mail_queued_total") + 6, planned);
        Assert.Equal(0, Count(planned, "recoverystudy_mail_sent_total", relay));

        // One participant withdraws before the send (cancelled at send time), one address is refused by the relay.
        await world.Db.Database.ExecuteSqlRawAsync("UPDATE participants SET status = 'withdrawn' WHERE code = 'MM-1'");
        sink.RejectRecipient("mm-2@example.org", 550, "5.1.1 No such user");
        var result = await app.Services.GetRequiredService<Dispatcher>().DispatchBatchAsync(CancellationToken.None);
        Assert.Equal((4, 1, 1), (result.Sent, result.Failed, result.Cancelled));

        var sent = await MetricsAsync(http, t => Count(t, "recoverystudy_mail_sent_total", relay) == 4);
        Assert.Equal(4, Count(sent, "recoverystudy_mail_sent_total", relay));
        Assert.Equal(1, Count(sent, "recoverystudy_mail_failed_total", relay));
        Assert.Equal(1, Count(sent, "recoverystudy_mail_cancelled_total", relay));
        Assert.Equal(0, Count(sent, "recoverystudy_mail_retried_total", relay));
        Assert.Equal(4, (await sink.WaitForAsync(4)).Count);
    }

    private static double Count(string text, string name, params (string, string)[] labels) => PrometheusText.Value(text, name, labels) ?? 0;

    private static async Task<string> MetricsAsync(HttpClient http, Func<string, bool>? done = null)
    {
        var text = "";
        await Poll.UntilAsync(async () => (done ?? (_ => true))(text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        return text;
    }
}
