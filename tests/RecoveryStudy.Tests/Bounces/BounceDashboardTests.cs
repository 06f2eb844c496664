using AngleSharp.Html.Parser;
using Microsoft.Extensions.Logging.Abstractions;
using RecoveryStudy.Bounces;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Bounces;

/// <summary>
/// What the `bounces` job read from a real Dovecot shows on the study dashboard and at /metrics:
/// hard bounces of the study, and the mailbox's forged and unparsed reports.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BounceDashboardTests(DatabaseFixture database, SmtpSink sink, DovecotServer imap)
    : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>, IClassFixture<DovecotServer>
{
    [Fact]
    public async Task Hard_forged_and_unparsed_reports_are_counted_on_the_dashboard_and_at_metrics()
    {
        await imap.ClearAsync();
        var options = new BounceOptions
        {
            Address = VerpEnvelopeTests.Options.Address, Secret = VerpEnvelopeTests.Options.Secret, Imap = imap.Settings, IdleFor = TimeSpan.Zero,
        };
        await using var world = await MailWorld.CreateAsync(database, sink, bounces: options);
        var participant = await world.ParticipantAsync("B-DASH");
        await world.Jobs.TickAsync();
        var (email, verp) = Assert.Single(sink.MessagesWithEnvelopeSender(), m => m.Message.To.Mailboxes.Single().Address == participant.Contact!.Email);
        var at = verp.IndexOf('@', StringComparison.Ordinal);
        var forged = verp[..(at - 4)] + (verp[(at - 4)..at] == "0000" ? "1111" : "0000") + verp[at..];
        await imap.AppendAsync(BounceSamples.Dsn(verp, participant.Contact!.Email, email.MessageId!));
        await imap.AppendAsync(BounceSamples.Dsn(forged, participant.Contact.Email, email.MessageId!, "failed", "5.2.2", "smtp; 552 5.2.2 full"));
        await imap.AppendAsync(BounceSamples.FreeText(VerpEnvelopeTests.Options.Address));

        // The host first, so that its meter provider listens when the job counts.
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var metrics = app.CreateClient();
        var before = await ScrapeAsync(metrics);
        var run = await new BounceJob(world.DataSource, Microsoft.Extensions.Options.Options.Create(options), world.Clock, NullLogger<BounceJob>.Instance)
            .RunAsync(CancellationToken.None);
        Assert.Equal((1, 1, 1), (run.Count(BounceKind.Hard), run.Count(BounceKind.Forged), run.Count(BounceKind.Unparsed)));

        await using var db = database.CreateContext();
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var client = await StaffSession.SignInAsync(app, analyst.Email);
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}", UriKind.Relative)));
        string Figure(string kind) => page.QuerySelector($"#bounce-table tr[data-kind='{kind}'] td[data-figure='count']")?.TextContent.Trim() ?? "(missing)";
        Assert.Equal(("1", "0", "0", "1", "1"), (Figure("hard"), Figure("soft"), Figure("complaint"), Figure("forged"), Figure("unparsed")));
        Assert.Contains(page.QuerySelectorAll("p.warning"), p => p.TextContent.Contains("1 forged report(s)", StringComparison.Ordinal)
            && p.TextContent.Contains("1 message(s) it could not read", StringComparison.Ordinal));

        // Counters are per process and other test classes may read bounces meanwhile: compare with before.
        var after = await ScrapeAsync(metrics);
        foreach (var kind in new[] { BounceKind.Hard, BounceKind.Forged, BounceKind.Unparsed })
        {
            Assert.True(Count(after, kind) >= Count(before, kind) + 1, $"{kind}: {Count(before, kind)} -> {Count(after, kind)}\n{after}");
        }
    }

    private static double Count(string text, string kind) => PrometheusText.Value(text, "recoverystudy_bounces_read_total", ("kind", kind)) ?? 0;

    private static Task<string> ScrapeAsync(HttpClient http) => http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
}
