using System.Globalization;

namespace RecoveryStudy.Web.Pages.Console.Data;

/// <summary>How the analyst pages print numbers: invariant culture, as the CLI's text reports do.</summary>
public static class Figures
{
    /// <summary>Three decimals; an undefined statistic (all differences equal) reads "n/a".</summary>
    public static string N(double value) =>
        double.IsNaN(value) ? "n/a"
        : double.IsPositiveInfinity(value) ? "∞"
        : double.IsNegativeInfinity(value) ? "−∞"
        : value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string P(double value) =>
        double.IsNaN(value) ? "n/a" : value < Statistics.PValue.Floor ? "< 0.001" : Statistics.PValue.Figures(value);

    public static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Percent(double? value) => value is { } v ? Percent(v) : "n/a";
}
