using RecoveryStudy.Statistics;

namespace RecoveryStudy.Tests.Statistics;

/// <summary>
/// The 95% CI of Cohen's dz by inverting the noncentral t, against SciPy: the literals are
/// brentq solutions of scipy.stats.nct.cdf(t, n - 1, delta) = 0.975 and 0.025, divided by sqrt(n)
/// (scipy 1.10.1).
/// </summary>
public sealed class CohensDzIntervalTests
{
    public static TheoryData<double[], double[], double, double> Datasets() => new()
    {
        { [12, 15, 9, 20, 14, 11, 17, 13], [14, 19, 8, 26, 15.5, 16, 20, 12.5], 0.11744209122750338, 1.8441164970947628 },
        { [2, 3, 3, 4, 1, 2, 5, 3, 2, 4, 3, 1], [3, 4, 5, 5, 3, 3, 5, 5, 4, 6, 4, 2], 1.0173162037561312, 3.0490483153254284 },
        { [3, 4, 2, 5, 4, 3], [4, 4, 4, 6, 2, 5], -0.4198604925209106, 1.2671407162120665 },
    };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Cohens_dz_interval_inverts_the_noncentral_t_as_scipy_does(double[] from, double[] to, double lower, double upper)
    {
        var result = PairedComparison.Compute([.. from.Zip(to)])!;
        Assert.Equal(PairedComparison.DzNoncentral, result.CohensDzInterval);
        Assert.True(Math.Abs(result.CohensDzLower - lower) < 1e-9, $"{result.CohensDzLower:R} vs {lower:R}");
        Assert.True(Math.Abs(result.CohensDzUpper - upper) < 1e-9, $"{result.CohensDzUpper:R} vs {upper:R}");
    }

    [Fact]
    public void A_t_beyond_the_series_range_falls_back_to_the_normal_approximation_and_says_so()
    {
        var pairs = Enumerable.Range(0, 400).Select(i => (0.0, 2.0 + (i % 5) * 0.1)).ToList();
        var result = PairedComparison.Compute(pairs)!;
        Assert.Equal(PairedComparison.DzApproximate, result.CohensDzInterval);
        var se = Math.Sqrt(1.0 / 400 + result.CohensDz * result.CohensDz / 800);
        Assert.Equal(result.CohensDz - 1.959963984540054 * se, result.CohensDzLower, 9);
    }
}
