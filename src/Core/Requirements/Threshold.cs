using Harness.Core.Configuration;

namespace Harness.Core.Requirements;

/// <summary>
/// A requirement's bound at each profile: <see cref="Full"/> is the seed's own scale, <see cref="Smoke"/> the CI-sized
/// run, calibrated at <see cref="SmokeScale"/> (e.g. "3,000 training images and 2 epochs", read from the task's smoke
/// settings). <see cref="Source"/> says where the full bound comes from (the seed's number, a measured reference…).
/// </summary>
public sealed record Threshold(double Full, double Smoke, string? SmokeScale = null, string? Source = null)
{
    /// <summary>One bound for both profiles.</summary>
    public static Threshold Both(double value, string? source = null) => new(value, value, null, source);

    public double For(Profile profile) => profile == Profile.Full ? Full : Smoke;
}

/// <summary>How a judged value and its bound are written: percentages, counts, decimals or scientific notation.</summary>
public sealed record ValueFormat(Func<double, string> Measured, Func<double, string> Bound)
{
    /// <summary>Fractions as percentages: measured "91.77%", bound "91%".</summary>
    public static readonly ValueFormat Percent = new(v => Records.Show.Percent(v), Records.Show.PercentBound);
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
