using System.Globalization;

namespace Harness.Core.Records;

/// <summary>How numbers read in generated text, tables and verdicts (invariant culture everywhere).</summary>
public static class Show
{
    // Custom formats ("0.00"), not "F2": they round from 15 significant digits, as every table of the harness always has
    // (49.124999999999993 prints "49.13" with "0.00" and "49.12" with "F2").

    /// <summary>A fraction as a percentage with fixed decimals: 0.91772 → "91.77%".</summary>
    public static string Percent(double fraction, int decimals = 2) =>
        (100 * fraction).ToString(Decimals(decimals), CultureInfo.InvariantCulture) + "%";

    /// <summary>.NET's "P" format, "79.20 %" (with a space): the tables of cm500335 have always printed it.</summary>
    public static string PercentSpaced(double fraction, int decimals = 2) => fraction.ToString("P" + decimals, CultureInfo.InvariantCulture);

    /// <summary>A fraction as the shortest percentage that states it (thresholds): 0.91 → "91%", 0.985 → "98.5%".</summary>
    public static string PercentBound(double fraction) => (100 * fraction).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>Percentage points with a sign: 0.0127 → "+1.27".</summary>
    public static string Points(double fractionDifference) => (100 * fractionDifference).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    /// <summary>A whole number with thousands separators: 1199882 → "1,199,882".</summary>
    public static string Count(double n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A number with a fixed number of decimals: (0.00557, 5) → "0.00557".</summary>
    public static string Fixed(double v, int decimals = 4) => v.ToString(Decimals(decimals), CultureInfo.InvariantCulture);

    private static string Decimals(int n) => n <= 0 ? "0" : "0." + new string('0', n);

    private static readonly string[] Small = { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty" };

    /// <summary>A small count as a word in running text ("five runs"); larger ones as digits.</summary>
    public static string Word(int n) => n >= 0 && n < Small.Length ? Small[n] : Count(n);

    /// <summary>A number as short as it can be written exactly to <paramref name="decimals"/> places: 0.50 → "0.5".</summary>
    public static string Short(double v, int decimals = 4) => v.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
}
