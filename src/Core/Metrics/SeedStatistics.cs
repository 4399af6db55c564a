namespace Harness.Core.Metrics;

/// <summary>
/// A value measured on K seeds: mean, sample standard deviation, range and the one-sided Student-t bounds of the mean
/// (<see cref="ConfidenceInterval.MeanLowerBound"/>, null below two values). Shared by calibration records, the
/// seed-set verdicts and the report, so that they state the same numbers.
/// </summary>
public sealed record SeedStatistics(int Count, double Mean, double StandardDeviation, double Min, double Max, double? LowerBound, double? UpperBound, double Level)
{
    public static SeedStatistics Of(IReadOnlyList<double> values, double level = 0.95)
    {
        if (values.Count == 0) throw new ArgumentException("statistics over seeds need at least one value", nameof(values));
        bool bounded = values.Count >= 2;
        return new SeedStatistics(values.Count, values.Average(), ConfidenceInterval.StandardDeviation(values), values.Min(), values.Max(),
            bounded ? ConfidenceInterval.MeanLowerBound(values, level) : null, bounded ? ConfidenceInterval.MeanUpperBound(values, level) : null, level);
    }
}
