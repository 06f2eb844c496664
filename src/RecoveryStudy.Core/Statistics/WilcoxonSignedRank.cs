using MathNet.Numerics.Distributions;

namespace RecoveryStudy.Statistics;

/// <summary>The result of a two-sided Wilcoxon signed-rank test on paired differences.</summary>
/// <param name="N">Differences used: pairs minus those with a zero difference.</param>
/// <param name="ZeroDifferences">Pairs dropped because their difference is zero (Wilcoxon's method).</param>
/// <param name="RankSumPositive">W+: sum of the (mid-)ranks of |d| over positive differences.</param>
/// <param name="RankSumNegative">W-: the same over negative differences.</param>
/// <param name="Statistic">T = min(W+, W-), the usual two-sided statistic (as SciPy reports it).</param>
/// <param name="Z">Standardized statistic of the normal approximation; null for the exact test.</param>
/// <param name="Method"><see cref="WilcoxonSignedRank.Exact"/> or <see cref="WilcoxonSignedRank.Normal"/>.</param>
public sealed record WilcoxonResult(
    int N, int ZeroDifferences, int TiedGroups, double RankSumPositive, double RankSumNegative,
    double Statistic, double? Z, double P, string Method);

/// <summary>
/// Wilcoxon signed-rank test, two-sided. Zero differences are dropped and counted (Wilcoxon's zero
/// method, as exactRankTests' wilcox.exact and SciPy's zero_method="wilcox"); tied |d| get mid-ranks.
/// Up to <see cref="ExactLimit"/> non-zero differences the p-value is exact: the permutation
/// distribution of W+ over all 2^n equally likely sign assignments of the observed mid-ranks,
/// counted by the shift algorithm over doubled ranks (integers), so ties change nothing but the
/// ranks. p = P(|W+ - E| >= |w - E|), which for this symmetric distribution is twice the smaller
/// tail, as coin and exactRankTests compute it. Beyond the limit: the normal approximation with the
/// tie correction of the variance and a continuity correction of 0.5 (SciPy's correction=True).
/// </summary>
public static class WilcoxonSignedRank
{
    /// <summary>Above this many non-zero differences the normal approximation is used (and is then very close).</summary>
    public const int ExactLimit = 200;
    public const string Exact = "exact permutation distribution (all 2^n sign assignments of the mid-ranks)";
    public const string Normal = "normal approximation with tie and continuity correction";

    public static WilcoxonResult? Test(IReadOnlyList<double> differences)
    {
        var nonZero = differences.Where(d => d != 0).ToArray();
        var zeros = differences.Count - nonZero.Length;
        if (nonZero.Length == 0)
        {
            return null;
        }
        var ranks = Ranks.Average(nonZero.Select(Math.Abs).ToArray(), out var tieSizes);
        double plus = 0, minus = 0;
        for (var i = 0; i < nonZero.Length; i++)
        {
            if (nonZero[i] > 0)
            {
                plus += ranks[i];
            }
            else
            {
                minus += ranks[i];
            }
        }
        var n = nonZero.Length;
        var t = Math.Min(plus, minus);
        var tiedGroups = tieSizes.Count(s => s > 1);
        if (n <= ExactLimit)
        {
            return new WilcoxonResult(n, zeros, tiedGroups, plus, minus, t, null, ExactP(ranks, plus), Exact);
        }
        var mean = n * (n + 1.0) / 4.0;
        var variance = n * (n + 1.0) * (2.0 * n + 1.0);
        variance -= 0.5 * tieSizes.Where(s => s > 1).Sum(s => (double)s * ((double)s * s - 1));
        var se = Math.Sqrt(variance / 24.0);
        var z = (t - mean - 0.5 * Math.Sign(t - mean)) / se;
        // The lower tail keeps small p-values accurate (1 - cdf would cancel).
        var p = 2.0 * Normal01.CumulativeDistribution(-Math.Abs(z));
        return new WilcoxonResult(n, zeros, tiedGroups, plus, minus, t, z, Math.Min(1.0, p), Normal);
    }

    private static readonly Normal Normal01 = new(0, 1);

    /// <summary>
    /// Two-sided exact p over all 2^n sign assignments of the given (mid-)ranks. Doubled ranks are
    /// whole numbers, so W+ sums are counted exactly: probabilities[s] is the chance that the
    /// positive doubled ranks sum to s, built one rank at a time (each positive or negative with
    /// probability 1/2). MathNet.Numerics has no signed-rank distribution.
    /// </summary>
    public static double ExactP(IReadOnlyList<double> ranks, double rankSumPositive)
    {
        var doubled = ranks.Select(r => (int)Math.Round(2 * r)).ToArray();
        var total = doubled.Sum();
        var probabilities = new double[total + 1];
        probabilities[0] = 1;
        var reached = 0;
        foreach (var r in doubled)
        {
            reached += r;
            for (var s = reached; s >= 0; s--)
            {
                probabilities[s] = 0.5 * (probabilities[s] + (s >= r ? probabilities[s - r] : 0));
            }
        }
        var observed = Math.Abs(2 * (int)Math.Round(2 * rankSumPositive) - total);
        double p = 0;
        for (var s = 0; s <= total; s++)
        {
            if (Math.Abs(2 * s - total) >= observed)
            {
                p += probabilities[s];
            }
        }
        return Math.Min(1.0, p);
    }
}
