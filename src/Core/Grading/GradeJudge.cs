using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Metrics;
using Harness.Core.Records;
using Harness.Core.Requirements;

namespace Harness.Core.Grading;

/// <summary>
/// Turns a task's measurement into its verdicts with the task's own <see cref="Requirement"/> objects: the
/// measurement becomes a run record (its values and checks) and each graded requirement judges it with
/// <see cref="Requirement.Judge"/>, as the NUnit fixture and the report do. Accuracies get their 95% Wilson interval;
/// requirements whose value could not be measured fail with the reason; each failure gets a line on what to fix.
/// </summary>
public static class GradeJudge
{
    /// <summary>The two checks every graded task gets from the grader (no points of their own: they explain the rest).</summary>
    public static IReadOnlyList<(Requirement Requirement, Visibility Visibility)> SubmissionChecks(TaskDefinition task) =>
    [
        (Requirement.Holds($"{task.Assignment}.{task.Id}.model-loads",
            "The submitted file is a state_dict of the reference architecture: every tensor present under its name with its shape, nothing extra; it loads strictly.",
            0, SubmissionMeasurer.LoadsCheck), Visibility.Visible),
        (Requirement.Holds($"{task.Assignment}.{task.Id}.weights-finite", "Every weight of the submitted model is a finite number (no NaN or infinity).",
            0, SubmissionMeasurer.FiniteCheck), Visibility.Visible),
    ];

    /// <summary>Every requirement judged for a task's model file: the grader's two checks, then the task's graded requirements.</summary>
    public static IReadOnlyList<(Requirement Requirement, Visibility Visibility)> Judged(TaskDefinition task) =>
        SubmissionChecks(task).Concat(((IGradedTask)task).GradedRequirements.Select(g => (task.FindRequirement(g.Id), g.Visibility))).ToList();

    /// <summary>Verdicts of a task whose file was measured (<paramref name="m"/>), or of one not submitted or not measured at all (<paramref name="missing"/>).</summary>
    public static TaskGrade Judge(TaskDefinition task, TaskMeasurement? m, string? missing, Profile profile, int seed, Outcome missingOutcome = Outcome.NotRun)
    {
        var graded = (IGradedTask)task;
        var record = Record(task, m?.Values ?? new Dictionary<string, double>(), m?.Checks ?? new Dictionary<string, string>(), profile, seed);
        var rows = new List<RequirementGrade>();
        var fixes = new List<Fix>();
        foreach (var (req, visibility) in Judged(task))
        {
            var expected = req.Judge(Record(task, new Dictionary<string, double> { [req.Value ?? ""] = double.NaN }, new Dictionary<string, string>(), profile, seed)).Expected;
            RequirementGrade row;
            if (m is null)
                row = new(req.Id, req.Text, req.Points, 0, visibility, missingOutcome, "—", expected, missing ?? "not submitted");
            else if (req.Value is { } value && !m.Values.ContainsKey(value))
                row = new(req.Id, req.Text, req.Points, 0, visibility, Outcome.Fail, "—", expected, "not measured: " + (m.NotMeasured ?? $"no {value} was measured"));
            else
            {
                var v = req.Judge(record);
                var interval = Interval(m, req);
                var detail = v.Detail + (interval is null ? "" : IntervalText(interval, req, profile, v.Passed));
                row = new(req.Id, req.Text, req.Points, v.Passed ? req.Points : 0, visibility, v.Outcome, v.Measured, v.Expected, detail, interval);
            }
            rows.Add(row);
        }
        if (m is null) fixes.Add(new Fix(null, $"Submit a model file for task {task.Id}: name it in submission.json under \"tasks\": {{\"{task.Id}\": \"your_file.pt\"}}."));
        else fixes.AddRange(Fixes(graded, m, rows, profile));
        return new TaskGrade(task.Id, task.Title, m?.File, m?.Format, rows, m?.Confusion, m?.Notes ?? [], fixes, m?.Seconds ?? 0);
    }

    /// <summary>A run record holding what was measured, for <see cref="Requirement.Judge"/> (which judges records).</summary>
    private static RunRecord Record(TaskDefinition task, IReadOnlyDictionary<string, double> values, IReadOnlyDictionary<string, string> checks, Profile profile, int seed) => new()
    {
        Key = new RunKey(task.Assignment, task.Id, profile, seed, "submission", "graded"),
        Title = task.Title,
        Settings = new Dictionary<string, string>(),
        Values = values,
        Checks = checks,
        Series = new Dictionary<string, double[]>(),
        Tables = [],
        Figures = [],
        Observations = [],
        Artifacts = new Dictionary<string, string>(),
        Environment = new EnvironmentInfo("", "", "", null, "", 0),
        Timing = new TimingInfo(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, new Dictionary<string, double>()),
    };

    private static AccuracyInterval? Interval(TaskMeasurement m, Requirement req)
    {
        if (req.Value is null || m.Accuracies.FirstOrDefault(a => a.Value == req.Value) is not { } a || a.Total == 0) return null;
        var ci = ConfidenceInterval.Wilson(a.Correct, a.Total);
        return new AccuracyInterval(a.Correct, a.Total, ci.Low, ci.High, ci.Level);
    }

    /// <summary>"; 95% interval 89.62%–92.11% (Wilson) on 2,000 held-out images, 0.10 points under 91%: within the sampling noise …".</summary>
    private static string IntervalText(AccuracyInterval ci, Requirement req, Profile profile, bool passed)
    {
        var text = $"; {Pct(ci.Level, 0)} interval {Pct(ci.Low)}–{Pct(ci.High)} (Wilson) on {ci.Total.ToString("N0", CultureInfo.InvariantCulture)} held-out images";
        if (req.Threshold is not { } bound) return text;
        double t = bound.For(profile), measured = (double)ci.Correct / ci.Total;
        var gap = Math.Abs(measured - t) * 100;
        var side = measured >= t ? "over" : "under";
        text += $", {gap.ToString("0.00", CultureInfo.InvariantCulture)} points {side} {Show.PercentBound(t)}";
        if (t >= ci.Low && t <= ci.High)
            text += passed ? ": the pass is within the sampling noise of the held-out split" : ": the threshold lies inside the interval, so the shortfall is within sampling noise, but the threshold is not met";
        return text;
    }

    private static IEnumerable<Fix> Fixes(IGradedTask task, TaskMeasurement m, IReadOnlyList<RequirementGrade> rows, Profile profile)
    {
        if (m.Checks.TryGetValue(SubmissionMeasurer.LoadsCheck, out var loads) && m.Values.GetValueOrDefault(SubmissionMeasurer.LoadsCheck) == 0)
        {
            yield return new Fix(null, $"Make the file load: {loads}");
            yield return new Fix(null, $"The reference network reads {task.InputDescription}.");
            yield break;
        }
        if (m.Values.TryGetValue(SubmissionMeasurer.FiniteCheck, out var finite) && finite == 0)
        {
            yield return new Fix(null, $"Training diverged ({m.Checks[SubmissionMeasurer.FiniteCheck]}): lower the learning rate, watch the loss for NaN, and submit the weights of an epoch before it diverged.");
            yield break;
        }
        if (m.NotMeasured is { } why)
            yield return new Fix(null, $"It could not be measured: {why}.");
        foreach (var r in rows.Where(r => r.Outcome == Outcome.Fail && !r.Detail.StartsWith("not measured", StringComparison.Ordinal) && r.Points > 0))
        {
            if (r.Interval is { } ci)
            {
                var weakest = Weakest(m.Confusion);
                yield return new Fix(r.Id, $"{r.Text} Your model reached {r.Measured} on the held-out images ({Pct(ci.Low)}–{Pct(ci.High)} at 95%): train as the task prescribes (all epochs and images), evaluate in eval() mode, and feed it {task.InputDescription}." + (weakest is null ? "" : $" {weakest}"));
            }
            else
                yield return new Fix(r.Id, $"{r.Text} Yours: {r.Measured}; check that layer's sizes against the task.");
        }
    }

    /// <summary>The class with the lowest recall and what it is most often taken for.</summary>
    private static string? Weakest(ConfusionData? c)
    {
        if (c is null) return null;
        int n = c.Counts.Length;
        var recall = Enumerable.Range(0, n).Select(i => c.Counts[i].Sum() is var s && s > 0 ? (double)c.Counts[i][i] / s : double.NaN).ToArray();
        int worst = Enumerable.Range(0, n).Where(i => !double.IsNaN(recall[i])).DefaultIfEmpty(-1).MinBy(i => i < 0 ? 0 : recall[i]);
        if (worst < 0) return null;
        int confused = Enumerable.Range(0, n).Where(j => j != worst).MaxBy(j => c.Counts[worst][j]);
        return $"Its weakest class is {c.ClassNames[worst]} ({Pct(recall[worst])} recognised), most often taken for {c.ClassNames[confused]} ({c.Counts[worst][confused].ToString("N0", CultureInfo.InvariantCulture)} images).";
    }

    private static string Pct(double v, int digits = 2) => (100 * v).ToString(digits == 0 ? "0" : "0.00", CultureInfo.InvariantCulture) + "%";
}
