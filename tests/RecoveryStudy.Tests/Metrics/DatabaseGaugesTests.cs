using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Metrics;

namespace RecoveryStudy.Tests.Metrics;

/// <summary>The gauges read from the database, on a small study whose figures are known, and their ten-second cache.</summary>
public sealed class DatabaseGaugesTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Gauges_show_the_oldest_due_email_the_plan_lag_and_open_invitations_per_wave()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        await world.EnrollAsync(3, "G-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        // Ten minutes after the emails fell due, nothing sent; one participant was due to be planned again two minutes ago.
        var clock = new FakeTimeProvider(MailWorld.DueMoment.AddMinutes(10));
        await world.Db.Database.ExecuteSqlRawAsync(
            "UPDATE participants SET plan_again_at = {0} WHERE code = 'G-1'", clock.GetUtcNow().UtcDateTime.AddMinutes(-2));
        await using var app = await TestApp.StartAsync(database.ConnectionString, configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var http = app.CreateClient();
        var wave = new[] { ("study", world.Study.Code), ("wave", world.Wave.Code) };

        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(600, PrometheusText.Value(text, "recoverystudy_mail_oldest_due_age_seconds"));
        Assert.Equal(120, PrometheusText.Value(text, "recoverystudy_plan_lag_seconds"));
        Assert.Equal(0, PrometheusText.Value(text, "recoverystudy_plan_stale_participants"));
        Assert.Equal(3, PrometheusText.Value(text, "recoverystudy_invitations_open", wave));
    }

    [Fact]
    public async Task Gauges_are_read_again_only_once_ten_seconds_have_passed()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        await world.EnrollAsync(2, "C-");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var clock = new FakeTimeProvider(MailWorld.DueMoment);
        await using var app = await TestApp.StartAsync(database.ConnectionString, configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var http = app.CreateClient();
        var wave = new[] { ("study", world.Study.Code), ("wave", world.Wave.Code) };
        Assert.Equal(2, await OpenAsync(http, wave));

        await world.Db.Database.ExecuteSqlRawAsync("UPDATE invitations SET status = 'completed' WHERE study_id = {0}", world.Study.Id);
        clock.Advance(DatabaseGauges.CacheFor - TimeSpan.FromSeconds(1));
        Assert.Equal(2, await OpenAsync(http, wave));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await OpenAsync(http, wave));
    }

    private static async Task<double?> OpenAsync(HttpClient http, (string, string)[] wave) =>
        PrometheusText.Value(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), "recoverystudy_invitations_open", wave);
}
