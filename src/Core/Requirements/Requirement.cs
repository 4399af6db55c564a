using Harness.Core.Configuration;
using Harness.Core.Metrics;
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

/// <summary>How a thresholded requirement compares its value with the bound.</summary>
public enum Comparison { AtLeast, AtMost, Exactly }

/// <summary>
/// One executable requirement of a task, declared once from its numbers: the NUnit fixture, the report's grade sheet and
/// the grader all call <see cref="Judge(RunRecord?)"/> (or, over several seeds, <see cref="JudgeOverSeeds(SeedSet)"/>), so they
/// cannot disagree, and its <see cref="Text"/> is generated from the same numbers (thresholds per profile, the smoke
/// scale), so the sentence cannot disagree with the check either.
/// </summary>
/// <param name="Value">the recorded value it judges, when it judges one (thresholded requirements and checks)</param>
public sealed record Requirement(string Id, string Text, double Points, Func<RunRecord, Verdict> Check)
{
    public string? Value { get; init; }
    /// <summary>The bound of a thresholded requirement (what baselines and calibration refer to).</summary>
    public Threshold? Threshold { get; init; }
    /// <summary>How the value meets <see cref="Threshold"/> (null for checks and custom requirements).</summary>
    public Comparison? Comparison { get; init; }
    /// <summary>How the value and its bound are written.</summary>
    public ValueFormat? Format { get; init; }
    /// <summary>
    /// For accuracies: the number of items the value was measured on (the test set's size), read from the record, for
    /// its binomial interval. The default reads the record's "test_images"; tasks that measure on other counts say so.
    /// </summary>
    public Func<RunRecord, long?> Trials { get; init; } = r => r.Values.TryGetValue("test_images", out var n) ? (long)n : null;

    /// <summary>A bound judged over seeds: the mean's one-sided confidence bound must clear it (see <see cref="SeedSet"/>).</summary>
    public bool IsBounded => Comparison is Requirements.Comparison.AtLeast or Requirements.Comparison.AtMost;
    /// <summary>Whether the value is an accuracy (a proportion of <see cref="Trials"/> items) with a binomial interval.</summary>
    public bool IsAccuracy => IsBounded && ReferenceEquals(Format, ValueFormat.Percent);

    /// <summary>
    /// Whether the requirement speaks of the result of the whole training schedule, so that a run whose epochs were capped
    /// (<see cref="RunRecord.EpochsLimit"/>) cannot judge it: every bound, and the "loss falls" and "reconstruction error falls" checks, unless
    /// set otherwise; counts, shapes and checks of the data stay judged on a capped trial.
    /// </summary>
    public bool NeedsWholeSchedule { get => _needsWholeSchedule ?? (IsBounded || WholeScheduleValueSuffixes.Any(suffix => Value?.EndsWith(suffix, StringComparison.Ordinal) == true)); init => _needsWholeSchedule = value; }
    private readonly bool? _needsWholeSchedule;
    /// <summary>Values of checks that compare the first epoch with the last: "loss_falls", "test_mse_falls", "autoencoder_mse_falls".</summary>
    private static readonly string[] WholeScheduleValueSuffixes = ["loss_falls", "mse_falls"];

    public Verdict Judge(RunRecord? record)
    {
        if (record is null) return new Verdict(Outcome.NotRun, "—", "—", "no recorded result");
        try
        {
            var verdict = Check(record);
            return record.EpochsLimit is { } cap && NeedsWholeSchedule
                ? verdict with { Outcome = Outcome.NotRun, Detail = $"not judged: epochs capped at {cap}, a trial of the code path (measured {verdict.Measured})" }
                : verdict;
        }
        catch (Exception e) { return new Verdict(Outcome.Error, "—", "—", e.Message); }
    }

    /// <summary>
    /// The requirement judged on several seeds' runs. A bound (<see cref="IsBounded"/>): the mean over the converged
    /// seeds must clear it at the one-sided 95% Student-t bound (lower for "at least", upper for "at most"), with at
    /// most one seed that did not converge and at least two that did. Any other requirement must pass on every
    /// converged seed, with the same allowance. A seed not yet run leaves the verdict "not run".
    /// </summary>
    public Verdict JudgeOverSeeds(SeedSet set)
    {
        if (set.Runs.Count == 0) return new Verdict(Outcome.NotRun, "—", "—", "no seeds");
        if (set.Runs.Where(r => r.NotRun).ToList() is { Count: > 0 } missing)
            return new Verdict(Outcome.NotRun, "—", "—", string.Join("; ", missing.Select(m => $"seed {m.Seed}: {m.Unavailable ?? "not run"}")) + " (harness calibrate runs it)");
        try { return IsBounded ? JudgeBound(set) : JudgeEach(set); }
        catch (Exception e) { return new Verdict(Outcome.Error, "—", "—", e.Message); }
    }

    private Verdict JudgeBound(SeedSet set)
    {
        var format = Format!;
        var values = new List<(int Seed, double Value)>();
        var notConverged = new List<string>();
        foreach (var run in set.Runs)
        {
            if (run.Record is null) { notConverged.Add($"seed {run.Seed} ({run.Failure})"); continue; }
            var v = run.Record.Value(Value!);
            if (double.IsFinite(v)) values.Add((run.Seed, v));
            else notConverged.Add($"seed {run.Seed} ({Value} is {v})");
        }
        var t = Threshold!.For(set.Profile);
        bool atLeast = Comparison == Requirements.Comparison.AtLeast;
        var expected = $"{(atLeast ? "≥" : "≤")} {format.Bound(t)}";
        var failures = notConverged.Count == 0 ? "" : $"; did not converge: {string.Join(", ", notConverged)}";
        if (notConverged.Count > SeedSet.MaxNonConverging)
            return Verdict.Of(false, $"{notConverged.Count} of {set.Runs.Count} seeds failed", expected,
                $"at most {SeedSet.MaxNonConverging} of the seeds may fail to converge{failures}");
        if (values.Count < 2)
            return Verdict.Of(false, values.Count == 1 ? format.Measured(values[0].Value) + " (one seed)" : "—", expected,
                $"a bound over seeds needs at least two converged seeds{failures}");
        var stats = SeedStatistics.Of(values.Select(v => v.Value).ToList(), SeedSet.Level);
        double bound = atLeast ? stats.LowerBound!.Value : stats.UpperBound!.Value;
        bool ok = atLeast ? bound >= t : bound <= t;
        var measured = $"mean {format.Measured(stats.Mean)}, {(atLeast ? "lower" : "upper")} bound {format.Measured(bound)}";
        var detail = $"{Value} over seeds {string.Join(", ", values.Select(v => v.Seed))} at the {set.Profile.ToString().ToLowerInvariant()} profile: " +
                     $"{string.Join(", ", values.Select(v => format.Measured(v.Value)))}; sd {format.Spread(stats.StandardDeviation)}; " +
                     $"one-sided {100 * SeedSet.Level:0}% Student-t bound of the mean ({values.Count - 1} degrees of freedom){failures}";
        return Verdict.Of(ok, measured, expected, detail);
    }

    private Verdict JudgeEach(SeedSet set)
    {
        var notConverged = set.Runs.Where(r => r.Diverged).ToList();
        var judged = set.Runs.Where(r => r.Record is not null).Select(r => (r.Seed, Verdict: Judge(r.Record))).ToList();
        var failures = notConverged.Count == 0 ? "" : $"; did not converge: {string.Join(", ", notConverged.Select(r => $"seed {r.Seed} ({r.Failure})"))}";
        var expected = judged.Count > 0 ? judged[0].Verdict.Expected : "—";
        foreach (var (seed, verdict) in judged.Where(j => j.Verdict.Outcome == Outcome.Error))
            return verdict with { Detail = $"seed {seed}: {verdict.Detail}" };
        var bad = judged.Where(j => !j.Verdict.Passed).ToList();
        bool ok = notConverged.Count <= SeedSet.MaxNonConverging && judged.Count > 0 && bad.Count == 0;
        var detail = bad.Count > 0 ? $"fails on {string.Join("; ", bad.Select(b => $"seed {b.Seed}: {b.Verdict.Measured}{(b.Verdict.Detail.Length > 0 ? " — " + b.Verdict.Detail : "")}"))}"
            : $"passes on seeds {string.Join(", ", judged.Select(j => j.Seed))}";
        return Verdict.Of(ok, $"passes on {judged.Count - bad.Count} of {set.Runs.Count} seeds", expected, detail + failures);
    }

    /// <summary>The binomial (Wilson) 95% interval of an accuracy measured on <see cref="Trials"/> items, or null.</summary>
    public Interval? MeasuredInterval(RunRecord record)
    {
        if (!IsAccuracy || Value is null || !record.Values.TryGetValue(Value, out var v) || !double.IsFinite(v) || v < 0 || v > 1) return null;
        return Trials(record) is { } n && n > 0 ? ConfidenceInterval.WilsonOfAccuracy(v, n) : null;
    }

    /// <summary>value ≥ the profile's bound: "{subject} is at least 91% (full profile; smoke: at least 78% on …){note}."</summary>
    public static Requirement AtLeast(string id, string subject, double points, string value, Threshold bound, ValueFormat format, string? note = null) =>
        Bounded(id, subject, "at least", "≥", (v, t) => v >= t, points, value, bound, format, note) with { Comparison = Requirements.Comparison.AtLeast };

    /// <summary>value ≤ the profile's bound.</summary>
    public static Requirement AtMost(string id, string subject, double points, string value, Threshold bound, ValueFormat format, string? note = null) =>
        Bounded(id, subject, "at most", "≤", (v, t) => v <= t, points, value, bound, format, note) with { Comparison = Requirements.Comparison.AtMost };

    /// <summary>value equals an exact number (parameter counts, sample counts): "{subject} is exactly 1,199,882{note}."</summary>
    public static Requirement Exactly(string id, string subject, double points, string value, double expected, string? note = null, ValueFormat? format = null)
    {
        format ??= ValueFormat.Count;
        return new Requirement(id, $"{subject} is exactly {format.Bound(expected)}{Note(note)}.", points, r =>
        {
            var v = r.Value(value);
            return Verdict.Of(v == expected, format.Measured(v), "= " + format.Bound(expected), value);
        }) { Value = value, Threshold = Threshold.Both(expected) with { Origin = ThresholdOrigin.Exact }, Comparison = Requirements.Comparison.Exactly, Format = format };
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
        var text = $"{subject} is {words} {format.Bound(bound.Full)}{scale}{Note(note)}{Calibrated(bound)}.";
        return new Requirement(id, text, points, r =>
        {
            var t = bound.For(r.Key.Profile);
            var v = r.Value(value);
            return Verdict.Of(ok(v, t), format.Measured(v), $"{symbol} {format.Bound(t)}", $"{value} = {format.Measured(v)} at the {r.Key.ProfileName} profile");
        }) { Value = value, Threshold = bound, Format = format };
    }

    /// <summary>"; the smoke bound is calibrated over seeds 42, 1, 2 (harness calibrate)" for each bound derived from seeds.</summary>
    private static string Calibrated(Threshold bound) => string.Concat(new[] { Profile.Full, Profile.Smoke }
        .Select(p => (Profile: p, Origin: bound.OriginFor(p)))
        .Where(o => o.Origin is { Kind: OriginKind.Calibrated, Seeds: not null, Profile: { } measured } && measured == o.Profile)
        .Select(o => $"; the {o.Profile.ToString().ToLowerInvariant()} bound is calibrated over seeds {string.Join(", ", o.Origin.Seeds!)} (harness calibrate)"));

    private static string Note(string? note) => string.IsNullOrEmpty(note) ? "" : "; " + note;
}
