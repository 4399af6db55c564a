using Harness.Core.Configuration;

namespace Harness.Core.Requirements;

/// <summary>
/// A requirement's bound at each profile: <see cref="Full"/> is the seed's own scale, <see cref="Smoke"/> the CI-sized
/// run, calibrated at <see cref="SmokeScale"/> (e.g. "3,000 training images and 2 epochs", read from the task's smoke
/// settings). <see cref="FullOrigin"/> and <see cref="SmokeOrigin"/> say where each bound comes from (the seed's number,
/// a calibration, or a provisional value); <see cref="Source"/>, when given without an origin, is kept as the full
/// bound's provisional reason.
/// </summary>
public sealed record Threshold(double Full, double Smoke, string? SmokeScale = null, string? Source = null)
{
    /// <summary>One bound for both profiles.</summary>
    public static Threshold Both(double value, string? source = null) => new(value, value, null, source);

    public ThresholdOrigin FullOrigin { get; init; } = Source is null ? ThresholdOrigin.Undeclared : ThresholdOrigin.Provisional(Source);
    /// <summary>A bound that is the same at both profiles has the full bound's origin unless told otherwise.</summary>
    public ThresholdOrigin SmokeOrigin { get => _smokeOrigin ?? (Full == Smoke ? FullOrigin : ThresholdOrigin.SmokeByHand); init => _smokeOrigin = value; }
    private readonly ThresholdOrigin? _smokeOrigin;

    /// <summary>The same origin for both profiles' bounds.</summary>
    public ThresholdOrigin Origin { init { FullOrigin = value; _smokeOrigin = value; } }

    public double For(Profile profile) => profile == Profile.Full ? Full : Smoke;
    public ThresholdOrigin OriginFor(Profile profile) => profile == Profile.Full ? FullOrigin : SmokeOrigin;
}

/// <summary>How a judged value and its bound are written: percentages, counts, decimals or scientific notation.</summary>
public sealed record ValueFormat(Func<double, string> Measured, Func<double, string> Bound)
{
    /// <summary>How a spread of such values (a standard deviation over seeds) is written; the measured format by default.</summary>
    public Func<double, string> Spread { get => _spread ?? Measured; init => _spread = value; }
    private readonly Func<double, string>? _spread;

    /// <summary>Fractions as percentages: measured "91.77%", bound "91%"; spreads in percentage points.</summary>
    public static readonly ValueFormat Percent = new(v => Records.Show.Percent(v), Records.Show.PercentBound) { Spread = v => PercentagePoints!.Measured(v) };
    /// <summary>Differences of fractions as percentage points: measured "3.20 points", bound "1 point".</summary>
    public static readonly ValueFormat PercentagePoints = new(v => (100 * v).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " points",
        v => (100 * v).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + (Math.Abs(100 * v - 1) < 1e-9 ? " point" : " points"));
    /// <summary>Whole numbers: "1,199,882".</summary>
    public static readonly ValueFormat Count = new(Records.Show.Count, Records.Show.Count);
    /// <summary>Scientific notation: "1.2e-10".</summary>
    public static readonly ValueFormat Scientific = new(v => v.ToString("0.0e0", System.Globalization.CultureInfo.InvariantCulture),
        v => v.ToString("0.#e0", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Decimals: measured with <paramref name="digits"/> places, the bound as short as it is exact.</summary>
    public static ValueFormat Decimal(int digits) => new(v => Records.Show.Fixed(v, digits), v => Records.Show.Short(v, digits + 2));
}
