using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Reporting.Document;
using Harness.Core.Requirements;

namespace Harness.Core.Reporting;

/// <summary>
/// A calibration the report cites for one requirement: the stored record (<c>harness calibrate</c>) and its seed-set
/// verdict judged again on the seeds' sealed run records.
/// </summary>
public sealed record CitedCalibration(CalibrationRecord Record, Verdict Verdict);

/// <summary>
/// The grade sheet's companion table: for every bounded requirement, the bound at this profile, where it comes from
/// (<see cref="ThresholdOrigin"/>), the calibration over seeds when there is one, and, for accuracies, the binomial 95%
/// interval of the measured value on the test set's size, so that a verdict near its bound can be read as such.
/// </summary>
public static class ThresholdProvenance
{
    public sealed record Row(string TaskId, string RequirementId, string Bound, string Origin, string OverSeeds, string Interval);

    public static IReadOnlyList<Row> Rows(IReadOnlyList<TaskOutcome> outcomes, Profile profile, Func<TaskDefinition, Requirement, CitedCalibration?>? calibrations)
    {
        var rows = new List<Row>();
        foreach (var o in outcomes)
            foreach (var r in o.Task.Requirements.Where(r => r.IsBounded && r.Threshold is not null && r.Format is not null))
            {
                var t = r.Threshold!.For(profile);
                var origin = r.Threshold.OriginFor(profile);
                var bound = $"{(r.Comparison == Comparison.AtLeast ? "≥" : "≤")} {r.Format!.Bound(t)}";
                var cited = calibrations?.Invoke(o.Task, r);
                rows.Add(new Row(o.Task.Id, ShortId(o.Task, r), bound, $"{origin.Label}: {origin.Text}", OverSeeds(r, cited), Interval(r, o.Record)));
            }
        return rows;
    }

    /// <summary>The requirement's id without its "assignment.task." prefix (the Task column says it): "accuracy".</summary>
    public static string ShortId(TaskDefinition task, Requirement r) =>
        r.Id.StartsWith($"{task.Assignment}.{task.Id}.", StringComparison.Ordinal) ? r.Id[(task.Assignment.Length + task.Id.Length + 2)..] : r.Id;

    /// <summary>"K = 3 (seeds 42, 1, 2): mean 99.61%, sd 0.05 points, 95% lower bound 99.53% — pass", or how to make one.</summary>
    public static string OverSeeds(Requirement r, CitedCalibration? cited)
    {
        if (cited is null) return "not calibrated";
        var c = cited.Record;
        if (c.Statistics is not { } s) return $"K = {c.K} (seeds {c.SeedList}): no seed converged — {GradeSheet.Label(cited.Verdict.Outcome)}";
        var f = r.Format!;
        var b = r.Comparison == Comparison.AtLeast ? s.LowerBound : s.UpperBound;
        var side = r.Comparison == Comparison.AtLeast ? "lower" : "upper";
        return $"K = {c.K} (seeds {c.SeedList}): mean {f.Measured(s.Mean)}, sd {f.Spread(s.StandardDeviation)}" +
               (b is { } v ? $", {(100 * s.Level).ToString("0", CultureInfo.InvariantCulture)}% {side} bound {f.Measured(v)}" : "") +
               $" — {GradeSheet.Label(cited.Verdict.Outcome)}";
    }

    /// <summary>"99.41% [99.05%, 99.63%] on 2,115" for an accuracy with a known test-set size, else the measured value or "—".</summary>
    public static string Interval(Requirement r, RunRecord? record)
    {
        if (record is null || r.Value is null || !record.Values.TryGetValue(r.Value, out var v)) return "—";
        if (r.MeasuredInterval(record) is not { } i) return r.Format!.Measured(v);
        return $"{r.Format!.Measured(v)} [{r.Format.Measured(i.Low)}, {r.Format.Measured(i.High)}] on {Show.Count(r.Trials(record)!.Value)}";
    }

    public static void Write(ReportDocument doc, IReadOnlyList<Row> rows)
    {
        if (rows.Count == 0) return;
        doc.Heading("Where the thresholds come from", level: 2, numbered: false);
        doc.Paragraph("Every bounded requirement's line at this profile: from the seed's own number, from a calibration over seeds " +
                      "(harness calibrate: each value's mean, sd and one-sided 95% Student-t bound over K seeds, judged again here on the seeds' records), " +
                      "or provisional. For accuracies, the measured value's binomial 95% (Wilson) interval on the test set's size.");
        doc.Table(t =>
        {
            t.Column("Task").Column("Requirement").Column("Bound", TextAlign.Right).Column("Origin").Column("Over seeds").Column("Measured, 95% interval", TextAlign.Right);
            foreach (var r in rows) t.Row(new[] { r.TaskId, r.RequirementId, r.Bound, r.Origin, r.OverSeeds, r.Interval });
        }, "Threshold provenance.");
    }
}
