using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace RecoveryStudy.Statistics;

/// <summary>
/// The noncentral t distribution's CDF (Lenth 1989, Applied Statistics algorithm AS 243), which
/// MathNet.Numerics does not have, and the confidence interval of a noncentrality parameter found
/// by inverting it. The series loses accuracy for |noncentrality| beyond about 37 (its Poisson
/// weights underflow), so <see cref="Reliable"/> bounds where it is used.
/// </summary>
public static class NoncentralT
{
    public const double Reliable = 37;

    public static double Cdf(double t, int df, double delta)
    {
        if (t < 0)
        {
            return 1 - Cdf(-t, df, -delta);
        }
        var x = t * t / (t * t + df);
        var lambda = delta * delta;
        var p = 0.5 * Math.Exp(-0.5 * lambda);
        var q = Math.Sqrt(2 / Math.PI) * p * delta;
        var s = 0.5 - p;
        var a = 0.5;
        var b = 0.5 * df;
        var rxb = Math.Pow(1 - x, b);
        var logBeta = 0.5 * Math.Log(Math.PI) + SpecialFunctions.GammaLn(b) - SpecialFunctions.GammaLn(0.5 + b);
        var xOdd = x > 0 ? SpecialFunctions.BetaRegularized(a, b, x) : 0;
        var gOdd = x > 0 ? 2 * rxb * Math.Exp(a * Math.Log(x) - logBeta) : 0;
        var xEven = 1 - rxb;
        var gEven = b * x * rxb;
        var total = p * xOdd + q * xEven;
        for (var n = 1; n <= 5000; n++)
        {
            a += 1;
            xOdd -= gOdd;
            xEven -= gEven;
            gOdd *= x * (a + b - 1) / a;
            gEven *= x * (a + b - 0.5) / (a + 0.5);
            p *= lambda / (2 * n);
            q *= lambda / (2 * n + 1);
            s -= p;
            total += p * xOdd + q * xEven;
            if (2 * s * (xOdd - gOdd) <= 1e-15)
            {
                break;
            }
        }
        return Math.Clamp(total + Normal.CDF(0, 1, -delta), 0, 1);
    }

    /// <summary>
    /// The noncentrality parameters whose distributions put the observed t at the upper and lower
    /// (1 - level) / 2 quantiles: the confidence interval of delta. Null when it would leave the
    /// range where the CDF is reliable.
    /// </summary>
    public static (double Lower, double Upper)? Interval(double t, int df, double level)
    {
        if (double.IsNaN(t) || double.IsInfinity(t) || Math.Abs(t) > Reliable - 10)
        {
            return null;
        }
        var tail = (1 - level) / 2;
        // Cdf falls as delta grows: bisect for Cdf(t; delta) = 1 - tail (lower end) and = tail (upper end).
        double Solve(double target)
        {
            double low = t - 10, high = t + 10;
            for (var i = 0; i < 200 && high - low > 1e-13; i++)
            {
                var middle = 0.5 * (low + high);
                if (Cdf(t, df, middle) > target)
                {
                    low = middle;
                }
                else
                {
                    high = middle;
                }
            }
            return 0.5 * (low + high);
        }
        return (Solve(1 - tail), Solve(tail));
    }
}
