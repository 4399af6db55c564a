using System.Globalization;
using Harness.Core.Records;

namespace Harness.Core.Requirements;

public enum Outcome { Pass, Fail, NotRun, Error }

/// <summary>The judgement of one requirement on one record: what was measured against what was required.</summary>
public sealed record Verdict(Outcome Outcome, string Measured, string Expected, string Detail = "")
{
    public bool Passed => Outcome == Outcome.Pass;
    public static Verdict Of(bool ok, string measured, string expected, string detail = "") =>
        new(ok ? Outcome.Pass : Outcome.Fail, measured, expected, detail);
}

/// <summary>
/// One executable requirement of a task, declared once: the NUnit fixture and the report's grade sheet
/// both call <see cref="Judge"/>, so they cannot disagree.
/// </summary>
public sealed record Requirement(string Id, string Text, double Points, Func<RunRecord, Verdict> Check)
{
    public Verdict Judge(RunRecord? record)
    {
        if (record is null) return new Verdict(Outcome.NotRun, "—", "—", "no recorded result");
        try { return Check(record); }
        catch (Exception e) { return new Verdict(Outcome.Error, "—", "—", e.Message); }
    }

    static string Fmt(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>value ≥ threshold, where the threshold depends on the profile (the seed's at full, a calibrated one at smoke).</summary>
    public static Requirement AtLeast(string id, string text, double points, string value, double full, double smoke, string format = "0.0000") =>
        new(id, text, points, r =>
        {
            var t = r.Key.Profile == "full" ? full : smoke;
            var v = r.Value(value);
            return Verdict.Of(v >= t, Fmt(v, format), "≥ " + Fmt(t, format), $"{value} at the {r.Key.Profile} profile");
        });

    /// <summary>value ≤ threshold (profile-dependent).</summary>
    public static Requirement AtMost(string id, string text, double points, string value, double full, double smoke, string format = "0.0000") =>
        new(id, text, points, r =>
        {
            var t = r.Key.Profile == "full" ? full : smoke;
            var v = r.Value(value);
            return Verdict.Of(v <= t, Fmt(v, format), "≤ " + Fmt(t, format), $"{value} at the {r.Key.Profile} profile");
        });

    /// <summary>value equals an exact number (parameter counts, sample counts).</summary>
    public static Requirement Exactly(string id, string text, double points, string value, double expected, string format = "N0") =>
        new(id, text, points, r =>
        {
            var v = r.Value(value);
            return Verdict.Of(v == expected, Fmt(v, format), "= " + Fmt(expected, format), value);
        });

    /// <summary>A recorded check that holds (value 1) or not (value 0).</summary>
    public static Requirement Holds(string id, string text, double points, string value) =>
        new(id, text, points, r =>
        {
            var v = r.Value(value);
            return Verdict.Of(v == 1, v == 1 ? "yes" : "no", "yes", value);
        });
}
