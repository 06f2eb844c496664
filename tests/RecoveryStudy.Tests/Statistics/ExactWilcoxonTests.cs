using System.Globalization;
using System.Text.Json;
using RecoveryStudy.Statistics;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Statistics;

/// <summary>
/// The exact Wilcoxon signed-rank p with ties and zero differences: against a brute-force
/// enumeration of every sign assignment written here, and against SciPy run live under
/// /usr/bin/python3 (python3-scipy, installed for tests by ops/lib/deps.sh).
/// </summary>
public sealed class ExactWilcoxonTests
{
    /// <summary>Small samples drawn from few values, so that ties and zero differences are common.</summary>
    private static List<double[]> Samples(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, random.Next(1, 15)).Select(_ => (double)random.Next(-4, 5)).ToArray())];
    }

    /// <summary>Zeros dropped, mid-ranks of |d|, then all 2^n sign assignments: p = P(|W+ - E| >= |w - E|).</summary>
    private static double? BruteForceP(double[] differences)
    {
        var d = differences.Where(x => x != 0).ToArray();
        if (d.Length == 0)
        {
            return null;
        }
        var ranks = d.Select(x => d.Count(y => Math.Abs(y) < Math.Abs(x)) + (d.Count(y => Math.Abs(y) == Math.Abs(x)) + 1) / 2.0).ToArray();
        var expected = ranks.Sum() / 2;
        var observed = Math.Abs(d.Select((x, i) => x > 0 ? ranks[i] : 0).Sum() - expected);
        var extreme = 0L;
        for (var mask = 0L; mask < 1L << d.Length; mask++)
        {
            var w = 0.0;
            for (var i = 0; i < d.Length; i++)
            {
                w += (mask >> i & 1) == 1 ? ranks[i] : 0;
            }
            extreme += Math.Abs(w - expected) >= observed - 1e-9 ? 1 : 0;
        }
        return (double)extreme / (1L << d.Length);
    }

    [Fact]
    public void Exact_p_equals_an_enumeration_of_every_sign_assignment_with_ties_and_zeros()
    {
        var samples = Samples(300, 17);
        Assert.Contains(samples, s => s.Contains(0) && s.Where(x => x != 0).Select(Math.Abs).Distinct().Count() < s.Count(x => x != 0));
        foreach (var sample in samples)
        {
            var result = WilcoxonSignedRank.Test(sample);
            var expected = BruteForceP(sample);
            Assert.Equal(expected is null, result is null);
            if (result is not null)
            {
                Assert.Equal(WilcoxonSignedRank.Exact, result.Method);
                Assert.True(Math.Abs(result.P - expected!.Value) < 1e-12, $"{string.Join(",", sample)}: {result.P:R} vs {expected:R}");
            }
        }
    }

    [Fact]
    public void Five_pairs_with_a_zero_and_ties_get_the_exact_p_not_the_normal_approximation()
    {
        var result = WilcoxonSignedRank.Test([1, 1, 2, 0, 3])!;
        Assert.Equal((WilcoxonSignedRank.Exact, 4, 1, 1), (result.Method, result.N, result.ZeroDifferences, result.TiedGroups));
        // Every difference positive: only the all-plus and all-minus assignments are as extreme, 2 of 16.
        Assert.Equal(0.125, result.P, 15);
    }

    [Fact]
    public async Task Exact_p_matches_scipy_where_scipy_enumerates_and_the_enumeration_here_otherwise()
    {
        var samples = Samples(40, 29).Where(s => s.Any(x => x != 0)).ToList();
        var folder = Directory.CreateTempSubdirectory("rs-wilcoxon-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "samples.json"), JsonSerializer.Serialize(samples));
            File.WriteAllText(Path.Combine(folder, "check.py"), Script);
            var (exit, output) = await ExternalTool.RunAsync("/usr/bin/python3", folder, "check.py");
            // Without python3-scipy the enumeration written above is the reference (ops/lib/deps.sh installs SciPy for tests).
            double?[] expected = exit == 3 ? [.. samples.Select(BruteForceP)]
                : exit == 0 ? [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (double?)double.Parse(l, CultureInfo.InvariantCulture))]
                : throw new InvalidOperationException(output);
            Assert.Equal(samples.Count, expected.Length);
            for (var i = 0; i < samples.Count; i++)
            {
                var p = WilcoxonSignedRank.Test(samples[i])!.P;
                Assert.True(Math.Abs(p - expected[i]!.Value) <= 1e-9 * Math.Max(1, expected[i]!.Value), $"{string.Join(",", samples[i])}: {p:R} vs SciPy {expected[i]:R}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // SciPy's wilcoxon(method="exact") where it is valid (no ties, no zeros); otherwise its permutation_test enumerating every sign assignment of the mid-ranks.
    private const string Script = """
        import json, sys
        try:
            import numpy as np
            from scipy import stats
        except ImportError:
            sys.exit(3)
        for sample in json.load(open("samples.json")):
            d = np.asarray(sample, dtype=float)
            nz = d[d != 0]
            if len(nz) == len(d) and len(np.unique(np.abs(nz))) == len(nz):
                p = stats.wilcoxon(d, method="exact").pvalue
            else:
                ranks = stats.rankdata(np.abs(nz))
                w = lambda x, axis=-1: np.sum(np.where(x > 0, ranks, 0), axis=axis)
                p = stats.permutation_test((nz,), w, permutation_type="samples", n_resamples=np.inf, alternative="two-sided", vectorized=True).pvalue
            print(repr(min(1.0, float(p))))
        """;

    [Fact]
    public void Beyond_the_exact_limit_the_normal_approximation_is_used_and_named()
    {
        var many = Enumerable.Range(0, 2 * WilcoxonSignedRank.ExactLimit).Select(i => (double)(i % 7 - 2)).ToArray();
        var result = WilcoxonSignedRank.Test(many)!;
        Assert.True(result.N > WilcoxonSignedRank.ExactLimit);
        Assert.Equal(WilcoxonSignedRank.Normal, result.Method);
        Assert.NotNull(result.Z);
    }

    [Theory]
    [InlineData(0.01047, "p = 0.0105")]
    [InlineData(0.0009, "p < 0.001")]
    [InlineData(0.001, "p = 0.00100")]
    [InlineData(0.5, "p = 0.500")]
    [InlineData(0.09996, "p = 0.100")]
    [InlineData(1.0, "p = 1.00")]
    [InlineData(0.2065664, "p = 0.207")]
    public void P_values_read_to_three_significant_figures_and_below_0_001_as_a_bound(double p, string text) =>
        Assert.Equal(text, PValue.Text(p));
}
