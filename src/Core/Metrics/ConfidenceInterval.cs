using MathNet.Numerics.Distributions;

namespace Harness.Core.Metrics;

/// <summary>An interval [Low, High] at a stated confidence level.</summary>
public sealed record Interval(double Low, double High, double Level);

/// <summary>
/// Intervals shared by the report, calibration and grading, so that "0.1 point under a threshold on 2,000
/// images" is stated the same way everywhere.
/// </summary>
public static class ConfidenceInterval
{
    /// <summary>Wilson score interval of a proportion (accuracy) measured on <paramref name="trials"/> items:
    /// unlike the normal approximation it stays inside [0, 1] and is honest near 0% and 100%.</summary>
    public static Interval Wilson(long successes, long trials, double level = 0.95)
    {
        if (trials <= 0) throw new ArgumentOutOfRangeException(nameof(trials), "an interval needs at least one trial");
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes));
        double z = Normal.InvCDF(0, 1, 1 - (1 - level) / 2);
        double n = trials, p = successes / n, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At 0 or n successes the bound is exactly 0 or 1; rounding would leave 1e-17.
        double low = successes == 0 ? 0 : Math.Max(0, centre - half), high = successes == trials ? 1 : Math.Min(1, centre + half);
        return new Interval(low, high, level);
    }

    /// <summary>Wilson interval of an accuracy given as a fraction of <paramref name="trials"/> items.</summary>
    public static Interval WilsonOfAccuracy(double accuracy, long trials, double level = 0.95) =>
        Wilson((long)Math.Round(accuracy * trials), trials, level);

    /// <summary>One-sided lower confidence bound of a mean over seeds (Student's t, K − 1 degrees of freedom):
    /// mean − t(level, K−1)·sd/√K. Needs at least two values.</summary>
    public static double MeanLowerBound(IReadOnlyList<double> values, double level = 0.95)
    {
        if (values.Count < 2) throw new ArgumentException("a lower bound over seeds needs at least two values", nameof(values));
        double mean = values.Average();
        double sd = StandardDeviation(values);
        return mean - StudentT.InvCDF(0, 1, values.Count - 1, level) * sd / Math.Sqrt(values.Count);
    }

    /// <summary>One-sided upper bound, for "at most" requirements (losses, errors).</summary>
    public static double MeanUpperBound(IReadOnlyList<double> values, double level = 0.95)
    {
        if (values.Count < 2) throw new ArgumentException("an upper bound over seeds needs at least two values", nameof(values));
        double mean = values.Average();
        return mean + StudentT.InvCDF(0, 1, values.Count - 1, level) * StandardDeviation(values) / Math.Sqrt(values.Count);
    }

    /// <summary>Sample standard deviation (n − 1).</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
