using MathNet.Numerics.Distributions;

namespace RecoveryStudy.Statistics;

/// <summary>The result of a two-sided Wilcoxon signed-rank test on paired differences.</summary>
/// <param name="N">Differences used: pairs minus those with a zero difference.</param>
/// <param name="ZeroDifferences">Pairs dropped because their difference is zero (Wilcoxon's method).</param>
/// <param name="RankSumPositive">W+: sum of the ranks of |d| over positive differences.</param>
/// <param name="RankSumNegative">W-: the same over negative differences.</param>
/// <param name="Statistic">T = min(W+, W-), the usual two-sided statistic (as SciPy reports it).</param>
/// <param name="Z">Standardized statistic of the normal approximation; null for the exact test.</param>
/// <param name="Method">"exact" or "normal approximation with tie and continuity correction".</param>
public sealed record WilcoxonResult(
    int N, int ZeroDifferences, int TiedGroups, double RankSumPositive, double RankSumNegative,
    double Statistic, double? Z, double P, string Method);

/// <summary>
/// Wilcoxon signed-rank test, two-sided. Zero differences are dropped (Wilcoxon's own method) and
/// reported. The exact null distribution is used when there are no zeros, no ties among |d| and at
/// most <see cref="ExactLimit"/> differences; otherwise the normal approximation with the tie
/// correction of the variance and a continuity correction of 0.5, as in SciPy's
/// <c>wilcoxon(..., correction=True)</c>.
/// </summary>
public static class WilcoxonSignedRank
{
    public const int ExactLimit = 50;
    public const string Exact = "exact";
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
        if (zeros == 0 && tiedGroups == 0 && n <= ExactLimit)
        {
            return new WilcoxonResult(n, zeros, tiedGroups, plus, minus, t, null, ExactP(n, (int)Math.Round(plus)), Exact);
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
    /// Two-sided exact p: the null distribution of W+ counted over all 2^n sign assignments (the
    /// number of subsets of 1..n with each rank sum). MathNet.Numerics has no signed-rank
    /// distribution; this is a count, not an approximation.
    /// </summary>
    private static double ExactP(int n, int rankSumPositive)
    {
        var max = n * (n + 1) / 2;
        var counts = new double[max + 1];
        counts[0] = 1;
        for (var rank = 1; rank <= n; rank++)
        {
            for (var sum = max; sum >= rank; sum--)
            {
                counts[sum] += counts[sum - rank];
            }
        }
        var total = Math.Pow(2, n);
        if (rankSumPositive * 2 == max)
        {
            return 1.0;
        }
        double less = 0, greater = 0;
        for (var s = 0; s <= max; s++)
        {
            if (s <= rankSumPositive)
            {
                less += counts[s];
            }
            if (s >= rankSumPositive)
            {
                greater += counts[s];
            }
        }
        return Math.Min(1.0, 2.0 * Math.Min(less, greater) / total);
    }
}
