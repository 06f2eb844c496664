using RecoveryStudy.Exports;
using RecoveryStudy.Statistics;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Statistics;

public sealed class WaveComparisonTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<StudyLayout> LayoutAsync()
    {
        await using var db = database.CreateContext();
        return (await StudyLayout.LoadAsync(db, study, CancellationToken.None))!;
    }

    [Fact]
    public async Task Comparison_pairs_participants_with_both_waves_and_counts_the_rest_by_reason()
    {
        var layout = await LayoutAsync();
        var (variables, error) = WaveComparison.Resolve(layout.Wave("baseline")!, layout.Wave("post")!, "who5_pct", null);
        Assert.Null(error);
        await using var dataSource = database.CreateDataSource();
        var result = Assert.Single(await WaveComparison.CompareAsync(dataSource, layout, layout.Wave("baseline")!, layout.Wave("post")!, variables, new ParticipantFilter(), CancellationToken.None));
        Assert.Equal(6, result.Participants);
        // Only P-0001 has WHO-5 at both waves (68 then 80): one pair, too few for statistics.
        Assert.Null(result.Result);
        Assert.Equal(5, result.LeftOut.Sum(l => l.Count));
        Assert.Contains(result.LeftOut, l => l.Reason == "no value at post: not invited" && l.Count == 2);
        Assert.Contains(result.LeftOut, l => l.Reason == "no value at post: withdrawn" && l.Count == 1);
        Assert.Contains(result.LeftOut, l => l.Reason.StartsWith("no value at baseline (too few items", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Items_compare_too_and_text_items_are_refused()
    {
        var layout = await LayoutAsync();
        var (variables, _) = WaveComparison.Resolve(layout.Wave("baseline")!, layout.Wave("followup")!, null, "wb1");
        await using var dataSource = database.CreateDataSource();
        var result = Assert.Single(await WaveComparison.CompareAsync(dataSource, layout, layout.Wave("baseline")!, layout.Wave("followup")!, variables, new ParticipantFilter(), CancellationToken.None));
        // P-0001: 3 -> 5, P-0002: 2 -> 1.
        Assert.Equal(2, result.Result!.Pairs);
        Assert.Equal(0.5, result.Result.MeanDifference, 12);
        Assert.NotNull(WaveComparison.Resolve(layout.Wave("baseline")!, layout.Wave("followup")!, null, "comment").Error);
        Assert.NotNull(WaveComparison.Resolve(layout.Wave("baseline")!, layout.Wave("post")!, "hope_mean", null).Error);
    }

    [Fact]
    public async Task Distribution_gives_percent_per_option_n_and_top_two_box()
    {
        var layout = await LayoutAsync();
        await using var dataSource = database.CreateDataSource();
        var items = await AnswerDistribution.ComputeAsync(dataSource, layout, layout.Wave("baseline")!, "wellbeing", new ParticipantFilter(), CancellationToken.None);
        var wb2 = items.Single(i => i.Item == "wb2");
        // Baseline wb2 answers: 4, 2, 1, 0, 3 (P-0006 undeliverable: unit nonresponse, not a gap in an answered instrument).
        Assert.Equal(5, wb2.N);
        Assert.Equal([1, 1, 1, 1, 1, 0], wb2.Options.Select(o => o.Count));
        Assert.Equal(20.0, wb2.Options[0].Percent, 12);
        Assert.Equal(20.0, wb2.TopTwoBox!.Value, 12);
        Assert.Equal("4,5", wb2.TopTwoBoxCodes);
        Assert.Equal([new LeftOut("invited, instrument not answered", 1)], wb2.Missing);
        var mood = items.Single(i => i.Item == "mood");
        Assert.Null(mood.TopTwoBox);
        Assert.Equal(3, mood.N);
        var c9 = await AnswerDistribution.ComputeAsync(dataSource, layout, layout.Wave("baseline")!, "wellbeing", new ParticipantFilter("c9"), CancellationToken.None);
        Assert.Equal(2, c9.Single(i => i.Item == "wb2").N);
    }
}
