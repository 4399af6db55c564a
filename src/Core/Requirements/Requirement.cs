using Harness.Core.Configuration;
using Harness.Core.Records;

namespace Harness.Core.Requirements;

public enum Outcome { Pass, Fail, NotRun, Error }

/// <summary>The judgement of one requirement on one record: what was measured against what was required, and why.</summary>
public sealed record Verdict(Outcome Outcome, string Measured, string Expected, string Detail = "")
{
    public bool Passed => Outcome == Outcome.Pass;
    public static Verdict Of(bool ok, string measured, string expected, string detail = "") =>
        new(ok ? Outcome.Pass : Outcome.Fail, measured, expected, detail);
}

/// <summary>
/// One executable requirement of a task, declared once from its numbers: the NUnit fixture, the report's grade sheet and
/// the grader all call <see cref="Judge"/>, so they cannot disagree, and its <see cref="Text"/> is generated from the
/// same numbers (thresholds per profile, the smoke scale), so the sentence cannot disagree with the check either.
/// </summary>
/// <param name="Value">the recorded value it judges, when it judges one (thresholded requirements and checks)</param>
public sealed record Requirement(string Id, string Text, double Points, Func<RunRecord, Verdict> Check)
{
    public string? Value { get; init; }
    /// <summary>The bound of a thresholded requirement (what baselines and calibration refer to).</summary>
    public Threshold? Threshold { get; init; }
    /// <summary>How the judged value reads (the report prints the recorded value the same way).</summary>
    public ValueFormat? Format { get; init; }

    public Verdict Judge(RunRecord? record)
    {
        if (record is null) return new Verdict(Outcome.NotRun, "—", "—", "no recorded result");
        try { return Check(record); }
        catch (Exception e) { return new Verdict(Outcome.Error, "—", "—", e.Message); }
    }

    /// <summary>value ≥ the profile's bound: "{subject} is at least 91% (full profile; smoke: at least 78% on …){note}."</summary>
    public static Requirement AtLeast(string id, string subject, double points, string value, Threshold bound, ValueFormat format, string? note = null) =>
        Bounded(id, subject, "at least", "≥", (v, t) => v >= t, points, value, bound, format, note);

    /// <summary>value ≤ the profile's bound.</summary>
    public static Requirement AtMost(string id, string subject, double points, string value, Threshold bound, ValueFormat format, string? note = null) =>
        Bounded(id, subject, "at most", "≤", (v, t) => v <= t, points, value, bound, format, note);

    /// <summary>value equals an exact number (parameter counts, sample counts): "{subject} is exactly 1,199,882{note}."</summary>
    public static Requirement Exactly(string id, string subject, double points, string value, double expected, string? note = null, ValueFormat? format = null)
    {
        format ??= ValueFormat.Count;
        return new Requirement(id, $"{subject} is exactly {format.Bound(expected)}{Note(note)}.", points, r =>
        {
            var v = r.Value(value);
            return Verdict.Of(v == expected, format.Measured(v), "= " + format.Bound(expected), value);
        }) { Value = value, Threshold = Threshold.Both(expected), Format = format };
    }

    /// <summary>
    /// A check computed during the run (recorded as value 1 or 0 with what it found, see <see cref="RunRecord.Checks"/>):
    /// the verdict carries the recorded finding, so a failure says which pixel, layer or pair broke it.
    /// </summary>
    public static Requirement Holds(string id, string statement, double points, string check) =>
        new(id, statement, points, r =>
        {
            var v = r.Value(check);
            var found = r.Checks.TryGetValue(check, out var d) ? d : "";
            return Verdict.Of(v == 1, v == 1 ? "holds" : "fails", "holds", found);
        }) { Value = check };

    private static Requirement Bounded(string id, string subject, string words, string symbol, Func<double, double, bool> ok,
        double points, string value, Threshold bound, ValueFormat format, string? note)
    {
        var scale = bound.Full == bound.Smoke
            ? (bound.SmokeScale is null ? "" : " (both profiles)")
            : $" (full profile; smoke: {words} {format.Bound(bound.Smoke)}{(bound.SmokeScale is null ? "" : " on " + bound.SmokeScale)})";
        var text = $"{subject} is {words} {format.Bound(bound.Full)}{scale}{Note(note)}.";
        return new Requirement(id, text, points, r =>
        {
            var t = bound.For(r.Key.Profile);
            var v = r.Value(value);
            return Verdict.Of(ok(v, t), format.Measured(v), $"{symbol} {format.Bound(t)}", $"{value} = {format.Measured(v)} at the {r.Key.ProfileName} profile");
        }) { Value = value, Threshold = bound, Format = format };
    }

    private static string Note(string? note) => string.IsNullOrEmpty(note) ? "" : "; " + note;
}
