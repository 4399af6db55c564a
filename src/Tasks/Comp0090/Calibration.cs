namespace Harness.Tasks.Comp0090;

/// <summary>
/// The thresholds of COMP0090: the seed states none, so each bound is derived from a measured reference, the value of
/// seeds 1, 2 and 42 at each profile: mean − 3 sample standard deviations, rounded down to half a percentage point.
/// The measured values are the data (from `harness run --assignment comp0090 --seed N [--profile full]`); the bound
/// and its stated source follow from them. Where the full-profile reference has not been run yet, the full bound is a
/// provisional one, never below what a plain CNN of this size reaches, and its source says so.
/// </summary>
public static class Calibration
{
    public static readonly int[] Seeds = [1, 2, 42];

    /// <summary>A measured value at each of <see cref="Seeds"/> (same order).</summary>
    public sealed record Reference(double[] Values)
    {
        public double Bound => Calibration.Bound(Values);
        public override string ToString() => string.Join(" / ", Values.Select(v => Show.Percent(v)));
    }

    /// <summary>The full bound from its reference, or <paramref name="provisionalFull"/> while it has none; the smoke bound from its reference.</summary>
    public static Threshold Threshold(Reference? full, double provisionalFull, Reference smoke, string smokeScale)
    {
        var fullSource = full is null
            ? $"full bound provisional (its 3-seed reference is not measured yet)"
            : $"full {full}";
        return new(full?.Bound ?? provisionalFull, smoke.Bound, smokeScale,
            $"bounds are mean − 3 sd of seeds {string.Join(", ", Seeds)}, rounded down to half a point: smoke {smoke}; {fullSource}")
        {
            FullOrigin = full is null ? ThresholdOrigin.Provisional(fullSource) : Origin(Profile.Full, full),
            SmokeOrigin = Origin(Profile.Smoke, smoke),
        };
    }

    /// <summary>How the grade sheet's provenance table states a bound derived from <paramref name="reference"/>.</summary>
    public static ThresholdOrigin Origin(Profile profile, Reference reference) =>
        ThresholdOrigin.CalibratedFrom(Rule, profile, Seeds, reference.Values, ValueFormat.Percent);

    public const string Rule = "mean − 3 sd, rounded down to half a point";

    /// <summary>mean − 3 sd (sample), rounded down to 0.005.</summary>
    public static double Bound(double[] values)
    {
        if (values.Length != Seeds.Length) throw new ArgumentException($"one value per seed ({string.Join(", ", Seeds)}) expected, got {values.Length}");
        double mean = values.Average(), sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return Math.Floor(Math.Round((mean - 3 * sd) * 200, 9)) / 200;
    }

    /// <summary>"{subject} is at least b (full profile; smoke: …); {where b comes from}."</summary>
    public static Requirement AtLeast(string id, string subject, double points, string value, Reference? full, double provisionalFull, Reference smoke, string smokeScale)
    {
        var bound = Threshold(full, provisionalFull, smoke, smokeScale);
        return Requirement.AtLeast(id, subject, points, value, bound, ValueFormat.Percent, bound.Source);
    }
}
