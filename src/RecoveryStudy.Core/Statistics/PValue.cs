using System.Globalization;

namespace RecoveryStudy.Statistics;

/// <summary>P-values as a paper prints them: three significant figures, "p < 0.001" below that.</summary>
public static class PValue
{
    public const double Floor = 0.001;

    /// <summary>"p = 0.0105", "p = 0.500", "p < 0.001"; "p n/a" when undefined.</summary>
    public static string Text(double p) =>
        double.IsNaN(p) ? "p n/a" : p < Floor ? "p < 0.001" : "p = " + Figures(p);

    /// <summary>The number to three significant figures, trailing zeros kept (0.500, 0.0105, 1.00).</summary>
    public static string Figures(double p)
    {
        var decimals = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(p)));
        var rounded = Math.Round(p, decimals, MidpointRounding.AwayFromZero);
        // Rounding may reach the next power of ten (0.09996 -> 0.1000): one decimal fewer then.
        if (rounded > 0 && Math.Floor(Math.Log10(rounded)) > Math.Floor(Math.Log10(p)) && decimals > 0)
        {
            decimals--;
        }
        return rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
