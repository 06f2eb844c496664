using MathNet.Numerics.Distributions;

namespace RecoveryStudy.Statistics;

/// <summary>Mean and standard deviation (n - 1 denominator) of one wave's values among the pairs.</summary>
public sealed record WaveSummary(double Mean, double StandardDeviation);

/// <summary>
/// Within-subject comparison of one variable between two waves, over the participants who have a
/// value at both. Differences are "to" minus "from", so a positive mean difference is an increase.
/// </summary>
public sealed record PairedComparisonResult(
    int Pairs,
    WaveSummary From,
    WaveSummary To,
    double MeanDifference,
    double StandardDeviationOfDifference,
    double ConfidenceLevel,
    double ConfidenceLower,
    double ConfidenceUpper,
    double T,
    int DegreesOfFreedom,
    double P,
    double CohensDz,
    double CohensDzLower,
    double CohensDzUpper,
    string CohensDzInterval,
    WilcoxonResult? Wilcoxon);

public static class PairedComparison
{
    public const string DzNoncentral = "noncentral t (Lenth's AS 243), dz = delta / sqrt(n)";
    public const string DzApproximate = "normal approximation, SE = sqrt(1/n + dz^2/(2n))";

    /// <summary>Null when fewer than two pairs, where no standard deviation exists.</summary>
    public static PairedComparisonResult? Compute(IReadOnlyList<(double From, double To)> pairs, double confidenceLevel = 0.95)
    {
        var n = pairs.Count;
        if (n < 2)
        {
            return null;
        }
        var from = pairs.Select(p => p.From).ToArray();
        var to = pairs.Select(p => p.To).ToArray();
        var differences = pairs.Select(p => p.To - p.From).ToArray();
        var meanDifference = Mean(differences);
        var sdDifference = StandardDeviation(differences, meanDifference);
        var df = n - 1;
        var standardError = sdDifference / Math.Sqrt(n);
        var critical = TQuantile(1 - (1 - confidenceLevel) / 2, df);
        // With identical differences the t statistic is undefined (0/0) or infinite; report NaN or infinity, as SciPy does.
        var t = meanDifference / standardError;
        var p = double.IsNaN(t) ? double.NaN : 2.0 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        var dz = meanDifference / sdDifference;
        // dz = t / sqrt(n), and t follows a noncentral t with delta = true dz * sqrt(n): inverting it gives the exact interval.
        // Where that series is unreliable (|t| near 30 and beyond), the large-sample standard error (Hedges & Olkin 1985).
        var dzError = Math.Sqrt(1.0 / n + dz * dz / (2.0 * n));
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidenceLevel) / 2);
        var exact = NoncentralT.Interval(t, df, confidenceLevel);
        var (dzLower, dzUpper, dzMethod) = exact is { } delta
            ? (delta.Lower / Math.Sqrt(n), delta.Upper / Math.Sqrt(n), DzNoncentral)
            : (dz - z * dzError, dz + z * dzError, DzApproximate);
        return new PairedComparisonResult(
            n,
            new WaveSummary(Mean(from), StandardDeviation(from, Mean(from))),
            new WaveSummary(Mean(to), StandardDeviation(to, Mean(to))),
            meanDifference,
            sdDifference,
            confidenceLevel,
            meanDifference - critical * standardError,
            meanDifference + critical * standardError,
            t,
            df,
            p,
            dz,
            dzLower,
            dzUpper,
            dzMethod,
            WilcoxonSignedRank.Test(differences));
    }

    /// <summary>
    /// MathNet's t quantile comes from a root search good to about 1e-9; a few Newton steps on its
    /// exact CDF and density polish it to full double precision.
    /// </summary>
    private static double TQuantile(double probability, int df)
    {
        var x = StudentT.InvCDF(0, 1, df, probability);
        for (var i = 0; i < 3; i++)
        {
            x -= (StudentT.CDF(0, 1, df, x) - probability) / StudentT.PDF(0, 1, df, x);
        }
        return x;
    }

    private static double Mean(double[] values) => values.Sum() / values.Length;

    private static double StandardDeviation(double[] values, double mean) =>
        Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
}
