using System.Xml.Linq;
using RecoveryStudy.Reports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Reports;

public sealed class ResponseReportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<ResponseReportResult> ReportAsync()
    {
        await using var dataSource = database.CreateDataSource();
        return (await ResponseReport.ComputeAsync(dataSource, study, CancellationToken.None))!;
    }

    [Fact]
    public async Task Report_counts_each_state_the_response_rate_and_completions_after_each_reminder()
    {
        var report = await ReportAsync();
        var baseline = report.Rows.Single(r => r.Wave == "baseline" && r.Cohort is null);
        Assert.Equal((6, 6, 5, 1, 0), (baseline.Eligible, baseline.Invited, baseline.Completed, baseline.Undeliverable, baseline.NotInvited));
        Assert.Equal(5.0 / 6, baseline.ResponseRate!.Value, 12);
        Assert.Equal([2, 1, 1], baseline.CompletedAfter);
        Assert.Equal(1, baseline.CompletedWithoutEmail);

        var post = report.Rows.Single(r => r.Wave == "post" && r.Cohort is null);
        Assert.Equal((6, 3, 1, 1, 1, 3), (post.Eligible, post.Invited, post.Completed, post.Expired, post.Withdrawn, post.NotInvited));
        var followup = report.Rows.Single(r => r.Wave == "followup" && r.Cohort is null);
        Assert.Equal((2, 1, 1, 1, 1, 2, 2), (followup.Invited, followup.Completed, followup.Missed, followup.Withdrawn, followup.StillOpen, followup.Started, followup.NotInvited));

        var c9 = report.Rows.Single(r => r.Wave == "baseline" && r.Cohort == "c9");
        Assert.Equal((2, 2), (c9.Eligible, c9.Completed));
        Assert.Contains(report.Rows, r => r.Cohort == ResponseReport.NoCohort);
        Assert.Equal(["baseline", "baseline", "baseline", "baseline"], report.Rows.Take(4).Select(r => r.Wave));
    }

    [Fact]
    public async Task Retention_follows_the_first_wave_completers()
    {
        var report = await ReportAsync();
        Assert.Equal(
            [new RetentionRow("baseline", 5, 5, 5), new RetentionRow("post", 5, 1, 1), new RetentionRow("followup", 5, 1, 1)],
            report.Retention);
    }

    [Fact]
    public async Task Flow_figure_is_well_formed_svg_with_the_figures()
    {
        var report = await ReportAsync();
        var svg = ConsortFigure.Svg(report);
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal("svg", root.Name.LocalName);
        var text = string.Join("\n", root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        Assert.Contains("Eligible: 6", text);
        Assert.Contains("Completed: 5 (83.3% of invited)", text);
        Assert.Contains("1 of 5 first-wave completers also completed post", text);
        Assert.Equal(svg, ConsortFigure.Svg(await ReportAsync()));
    }
}
