using RecoveryStudy.Statistics;

namespace RecoveryStudy.Tests.Statistics;

/// <summary>
/// Paired t, confidence interval, Cohen's dz and Wilcoxon signed-rank against SciPy. The literals
/// below are the output of reference_values.py in this folder (run with /usr/bin/python3): exact
/// Wilcoxon p-values with ties and zeros are SciPy's own enumeration of every sign assignment.
/// </summary>
public sealed class PairedComparisonTests
{
    public sealed record Expected(
        double[] From, double[] To, double MeanFrom, double SdFrom, double MeanTo, double SdTo,
        double MeanDifference, double SdDifference, double Lower, double Upper, double T, int Df, double P, double Dz,
        double WilcoxonT, double WilcoxonP, bool Exact, int Zeros);

    private static readonly Dictionary<string, Expected> Reference = new()
    {
        // Output of reference_values.py: scipy 1.10.1, numpy 1.24.2
        ["small_exact"] = new Expected(
            From: [12.0, 15.0, 9.0, 20.0, 14.0, 11.0, 17.0, 13.0],
            To: [14.0, 19.0, 8.0, 26.0, 15.5, 16.0, 20.0, 12.5],
            MeanFrom: 13.875, SdFrom: 3.48209706929603, MeanTo: 16.375, SdTo: 5.403371963082735,
            MeanDifference: 2.5, SdDifference: 2.49284690951645,
            Lower: 0.41592782922427984, Upper: 4.58407217077572,
            T: 2.8365431446558773, Df: 7, P: 0.02516898683372224, Dz: 1.0028694463571923,
            WilcoxonT: 3.0, WilcoxonP: 0.0390625, Exact: true, Zeros: 0),
        ["small_with_zero"] = new Expected(
            From: [3.0, 4.0, 2.0, 5.0, 4.0, 3.0],
            To: [4.0, 4.0, 4.0, 6.0, 2.0, 5.0],
            MeanFrom: 3.5, SdFrom: 1.0488088481701516, MeanTo: 4.166666666666667, SdTo: 1.3291601358251257,
            MeanDifference: 0.6666666666666666, SdDifference: 1.505545305418162,
            Lower: -0.9133062343172379, Upper: 2.246639567650571,
            T: 1.0846522890932808, Df: 5, P: 0.32758249926618527, Dz: 0.44280744277004763,
            WilcoxonT: 4.0, WilcoxonP: 0.4375, Exact: true, Zeros: 1),
        ["ties"] = new Expected(
            From: [2.0, 3.0, 3.0, 4.0, 1.0, 2.0, 5.0, 3.0, 2.0, 4.0, 3.0, 1.0],
            To: [3.0, 4.0, 5.0, 5.0, 3.0, 3.0, 5.0, 5.0, 4.0, 6.0, 4.0, 2.0],
            MeanFrom: 2.75, SdFrom: 1.2154310870109943, MeanTo: 4.083333333333333, SdTo: 1.164500152881315,
            MeanDifference: 1.3333333333333333, SdDifference: 0.6513389472789296,
            Lower: 0.9194923100544519, Upper: 1.7471743566122147,
            T: 7.091242083423348, Df: 11, P: 2.0158756080412003e-05, Dz: 2.047065262876636,
            WilcoxonT: 0.0, WilcoxonP: 0.0009765625, Exact: true, Zeros: 1),
        ["zeros_and_ties"] = new Expected(
            From: [10.0, 12.0, 9.0, 14.0, 11.0, 10.0, 13.0, 12.0, 8.0, 15.0, 11.0, 10.0, 9.0, 12.0, 14.0],
            To: [12.0, 12.0, 11.0, 13.0, 13.0, 10.0, 16.0, 12.0, 9.0, 17.0, 14.0, 11.0, 9.0, 15.0, 13.0],
            MeanFrom: 11.333333333333334, SdFrom: 2.0586634591635513, MeanTo: 12.466666666666667, SdTo: 2.3563490726929555,
            MeanDifference: 1.1333333333333333, SdDifference: 1.4074631010979934,
            Lower: 0.3539062475116168, Upper: 1.9127604191550498,
            T: 3.118647389247707, Df: 14, P: 0.007547554704571915, Dz: 0.8052312934166407,
            WilcoxonT: 5.0, WilcoxonP: 0.0107421875, Exact: true, Zeros: 4),
        ["exact_n30"] = new Expected(
            From: [50.0, 57.252, 48.831, 44.449, 54.699, 57.139, 46.961, 47.843, 58.494, 55.567, 46.37, 52.367, 60.719, 53.27, 47.537, 57.163, 61.115, 51.171, 50.481, 61.303, 59.904, 50.142, 54.757, 64.029, 57.725, 50.777, 59.572, 64.953, 55.472, 53.234],
            To: [58.0, 54.032, 47.713, 48.925, 56.519, 59.995, 54.886, 48.344, 51.091, 58.77, 60.756, 54.765, 50.2, 54.373, 60.838, 61.262, 54.69, 51.377, 56.801, 63.642, 62.504, 54.72, 52.832, 59.273, 65.232, 62.604, 55.866, 55.513, 61.73, 66.547],
            MeanFrom: 54.443200000000004, SdFrom: 5.4793659235479, MeanTo: 56.79333333333333, SdTo: 5.075612409683518,
            MeanDifference: 2.350133333333333, SdDifference: 6.549807645153082,
            Lower: -0.09560503595194847, Upper: 4.795871702618614,
            T: 1.965280676240973, Df: 29, P: 0.05902445788500599, Dz: 0.3588095194020627,
            WilcoxonT: 144.0, WilcoxonP: 0.06989291124045849, Exact: true, Zeros: 0),
        ["likert_n240"] = new Expected(
            From: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            To: [5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0, 5.0, 3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 3.0, 3.0, 1.0, 6.0, 5.0],
            MeanFrom: 3.5, SdFrom: 1.7113942540767833, MeanTo: 3.6666666666666665, SdTo: 1.7032252611142276,
            MeanDifference: 0.16666666666666666, SdDifference: 2.0386776144404593,
            Lower: -0.09256962546584027, Upper: 0.4259029587991736,
            T: 1.2665018143048923, Df: 239, P: 0.2065664113878344, Dz: 0.0817523405790721,
            WilcoxonT: 11050.0, WilcoxonP: 0.22581653631255272, Exact: false, Zeros: 20),
    };

    public static TheoryData<string> Datasets() => [.. Reference.Keys];

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Paired_comparison_matches_scipy(string name)
    {
        var e = Reference[name];
        var result = PairedComparison.Compute([.. e.From.Zip(e.To)])!;

        Assert.Equal(e.From.Length, result.Pairs);
        Close(e.MeanFrom, result.From.Mean);
        Close(e.SdFrom, result.From.StandardDeviation);
        Close(e.MeanTo, result.To.Mean);
        Close(e.SdTo, result.To.StandardDeviation);
        Close(e.MeanDifference, result.MeanDifference);
        Close(e.SdDifference, result.StandardDeviationOfDifference);
        Close(e.Lower, result.ConfidenceLower);
        Close(e.Upper, result.ConfidenceUpper);
        Close(e.T, result.T);
        Assert.Equal(e.Df, result.DegreesOfFreedom);
        Close(e.P, result.P);
        Close(e.Dz, result.CohensDz);
        var w = result.Wilcoxon!;
        Close(e.WilcoxonT, w.Statistic);
        Close(e.WilcoxonP, w.P);
        Assert.Equal(e.Exact ? WilcoxonSignedRank.Exact : WilcoxonSignedRank.Normal, w.Method);
        Assert.Equal(e.Zeros, w.ZeroDifferences);
        Assert.Equal(e.From.Length - e.Zeros, w.N);
    }

    [Fact]
    public void Reference_covers_ties_zero_differences_small_samples_and_both_wilcoxon_methods()
    {
        Assert.True(Reference.Count >= 5);
        Assert.Contains(Reference.Values, e => e.Zeros > 0);
        Assert.Contains(Reference.Values, e => e.From.Length < 10);
        Assert.Contains(Reference.Values, e => e.Exact);
        Assert.Contains(Reference.Values, HasTies);
        Assert.Contains(Reference.Values, e => !e.Exact);
    }

    [Fact]
    public void Fewer_than_two_pairs_give_no_result_and_all_zero_differences_give_no_wilcoxon()
    {
        Assert.Null(PairedComparison.Compute([(1.0, 2.0)]));
        var same = PairedComparison.Compute([(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)])!;
        Assert.Null(same.Wilcoxon);
        Assert.Equal(0, same.MeanDifference);
    }

    private static bool HasTies(Expected e)
    {
        var nonZero = e.From.Zip(e.To, (a, b) => Math.Abs(b - a)).Where(d => d != 0).ToList();
        return nonZero.Distinct().Count() < nonZero.Count;
    }

    private static void Close(double expected, double actual)
    {
        if (expected == 0)
        {
            Assert.True(Math.Abs(actual) < 1e-12, $"expected 0, got {actual:R}");
            return;
        }
        var relative = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(relative <= 1e-9, $"expected {expected:R}, got {actual:R} (relative error {relative:E2})");
    }
}
