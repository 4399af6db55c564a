using Harness.Core.Configuration;
using Harness.Core.Metrics;

namespace Harness.Core.Requirements;

/// <summary>
/// Where a threshold comes from: the seed's own number, the assignment's specification (the issue that set the
/// requirement, where the seed states none), a calibration over seeds, or a provisional value.
/// </summary>
public enum OriginKind { Seed, Specified, Calibrated, Provisional }

/// <summary>
/// The provenance of one bound, declared next to it and shown on the grade sheet, so that a grader can say why the line
/// is where it is. <see cref="Text"/> says what the seed states, the rule that turned a calibration into the bound
/// ("mean − 3 sd of 3 seeds, rounded down to half a point"), or why the value is provisional. The numbers of a
/// calibration (K, mean, sd) are read from its record when the report is written, never typed in here.
/// </summary>
public sealed record ThresholdOrigin(OriginKind Kind, string Text)
{
    /// <summary>The seed (brief, exercise sheet) states this number.</summary>
    public static ThresholdOrigin Seed(string what) => new(OriginKind.Seed, what);
    /// <summary>The assignment's specification sets this number (<paramref name="where"/>); the seed states none.</summary>
    public static ThresholdOrigin Specified(string where) => new(OriginKind.Specified, where);
    /// <summary>Derived from a calibration record (harness calibrate) by <paramref name="rule"/>.</summary>
    public static ThresholdOrigin Calibrated(string rule) => new(OriginKind.Calibrated, rule);

    /// <summary>
    /// Derived by <paramref name="rule"/> from a calibration's per-seed values, declared with the bound (seeds, values,
    /// profile), so the line can be defended from the code alone; the text states them with their mean, sd and one-sided
    /// 95% lower bound. A Spec test calibrates the task again and checks that the declared values are what it measures.
    /// </summary>
    public static ThresholdOrigin CalibratedFrom(string rule, Profile profile, IReadOnlyList<int> seeds, IReadOnlyList<double> values, ValueFormat format)
    {
        if (seeds.Count != values.Count || seeds.Count < 2) throw new ArgumentException("a calibrated bound needs one value per seed and at least two seeds");
        var s = SeedStatistics.Of(values);
        var text = $"{rule}; from harness calibrate over seeds {string.Join(", ", seeds)} at {profile.ToString().ToLowerInvariant()}: " +
                   $"{string.Join(", ", values.Select(format.Measured))} (mean {format.Measured(s.Mean)}, sd {format.Spread(s.StandardDeviation)}, " +
                   $"95% lower bound {format.Measured(s.LowerBound!.Value)})";
        return new(OriginKind.Calibrated, text) { Profile = profile, Seeds = seeds, Values = values };
    }

    /// <summary>For a calibrated bound: the profile, seeds and per-seed values it was derived from.</summary>
    public Profile? Profile { get; init; }
    public IReadOnlyList<int>? Seeds { get; init; }
    public IReadOnlyList<double>? Values { get; init; }
    /// <summary>Set by hand; to be replaced by a calibration or by the seed's number.</summary>
    public static ThresholdOrigin Provisional(string why) => new(OriginKind.Provisional, why);

    /// <summary>A full bound declared without an origin.</summary>
    public static readonly ThresholdOrigin Undeclared = Provisional("set when the task was written; neither stated by the seed nor calibrated");
    /// <summary>A smoke bound declared without an origin: the CI-sized runs' bounds were set by hand below measured smoke runs.</summary>
    public static readonly ThresholdOrigin SmokeByHand = Provisional("set by hand below measured smoke runs");

    /// <summary>An exact count (parameters, images): what the architecture or the data set implies.</summary>
    public static readonly ThresholdOrigin Exact = new(OriginKind.Seed, "exact: implied by the architecture or the data the seed specifies");

    public string Label => Kind switch
    {
        OriginKind.Seed => "seed",
        OriginKind.Specified => "specified",
        OriginKind.Calibrated => "calibrated",
        _ => "provisional",
    };
}
