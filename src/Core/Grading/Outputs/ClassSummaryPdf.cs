using System.Globalization;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Reporting.Document;
using Harness.Core.Requirements;

namespace Harness.Core.Grading.Outputs;

/// <summary>How a batch went, for the summary's first table.</summary>
public sealed record BatchStats(int Graded, int Kept, double WallSeconds, long PeakWorkerBytes, long PeakParentBytes);

/// <summary>
/// The class summary PDF: the score distribution (overall and per task, as histograms), every requirement's pass rate,
/// and the hardest requirement, with a table of every submission in an appendix.
/// </summary>
public static class ClassSummaryPdf
{
    public static DocumentStats Write(string path, IAssignment assignment, IReadOnlyList<SubmissionGrade> grades, BatchStats stats)
    {
        var style = assignment.Style;
        var settings = new DocumentSettings
        {
            FontFamily = style.FontFamily,
            FontSize = style.FontSize,
            Title = $"{assignment.Title} — class summary",
            Author = "Harness grader",
            Subject = $"{assignment.Course}: {assignment.Title}, {grades.Count} submissions",
            Created = grades.Select(g => g.GradedUtc.UtcDateTime).DefaultIfEmpty(DateTime.UnixEpoch).Max(),
            HeaderLeft = $"{assignment.Title} — class summary",
            HeaderRight = $"{grades.Count} submissions",
            TitlePage = false,
        };
        var doc = new ReportDocument(settings);
        using var probe = FontSet.Resolve(style.FontFamily);
        var family = probe.Family;
        var scores = grades.Select(g => g.Score).OrderBy(s => s).ToList();
        var max = grades.Select(g => g.MaxScore).DefaultIfEmpty(0).Max();

        doc.Heading($"Class summary: {assignment.Title}", numbered: false);
        doc.Table(t =>
        {
            t.Column("Class").Column("");
            t.Row("Course", assignment.Course);
            t.Row("Submissions", $"{grades.Count} ({stats.Graded} graded in this run, {stats.Kept} kept from earlier runs: unchanged files)");
            t.Row("With problems", $"{grades.Count(g => g.Problems.Count > 0)} (manifest, files or budget; see the appendix)");
            t.Row("Thresholds", string.Join(", ", grades.Select(g => g.Profile.ToString().ToLowerInvariant()).Distinct().DefaultIfEmpty("—")) + " profile");
            if (scores.Count > 0)
            {
                t.Row("Score", $"mean {Num(scores.Average())}, median {Num(Median(scores))}, lowest {Num(scores[0])}, highest {Num(scores[^1])} of {Num(max)} points");
                t.Row("Full marks", $"{grades.Count(g => g.MaxScore > 0 && g.Score == g.MaxScore)} of {grades.Count}");
            }
            var measured = grades.Where(g => g.Seconds > 0).ToList();
            if (measured.Count > 0)
                t.Row("Grading time", $"{Num(measured.Average(g => g.Seconds))} s per submission on average; this run {Num(stats.WallSeconds)} s" +
                    (stats.Graded > 0 && stats.WallSeconds > 0 ? $" ({Num(stats.Graded / stats.WallSeconds * 60)} submissions per minute)" : ""));
            if (stats.PeakWorkerBytes > 0 || stats.PeakParentBytes > 0)
                t.Row("Peak memory", $"worker {Mib(stats.PeakWorkerBytes)}, grader {Mib(stats.PeakParentBytes)}");
        });
        if (grades.Count == 0)
        {
            doc.Paragraph("No submissions were found.");
            return doc.Save(path);
        }

        doc.Figure(Histogram("Total score", grades.Select(g => g.Score).ToList(), max, grades.SelectMany(g => g.Tasks).SelectMany(t => t.Requirements).Select(r => r.Points)),
            $"Distribution of the total score (of {Num(max)} points) over the {grades.Count} submissions.", family);
        var taskIds = grades.SelectMany(g => g.Tasks.Select(t => t.TaskId)).Distinct().ToList();
        foreach (var id in taskIds)
        {
            var tasks = grades.Select(g => g.Tasks.FirstOrDefault(t => t.TaskId == id)).OfType<TaskGrade>().ToList();
            var taskMax = tasks.Max(t => t.Possible);
            doc.Figure(Histogram($"Task {id}", tasks.Select(t => t.Earned).ToList(), taskMax, tasks.SelectMany(t => t.Requirements).Select(r => r.Points)),
                $"Task {id} ({tasks[0].Title}): distribution of its score (of {Num(taskMax)} points).", family);
        }

        doc.Heading("Requirements", level: 2, numbered: false);
        var rates = grades.SelectMany(g => g.Tasks.SelectMany(t => t.Requirements.Select(r => (Task: t.TaskId, R: r))))
            .GroupBy(x => x.R.Id).Select(gr => new
            {
                Id = gr.Key, gr.First().Task, gr.First().R.Text, gr.First().R.Points, gr.First().R.Visibility,
                Passed = gr.Count(x => x.R.Passed), Judged = gr.Count(x => x.R.Outcome != Outcome.NotRun), NotSubmitted = gr.Count(x => x.R.Outcome == Outcome.NotRun),
            }).ToList();
        doc.Table(t =>
        {
            t.Column("Task").Column("Requirement").Column("Shown").Column("Points", TextAlign.Right).Column("Met", TextAlign.Right).Column("Pass rate", TextAlign.Right);
            foreach (var r in rates)
                t.Row(r.Task, r.Id, r.Visibility.Gradescope().Replace('_', ' '), Num(r.Points),
                    $"{r.Passed} of {r.Judged}" + (r.NotSubmitted > 0 ? $" (+{r.NotSubmitted} not submitted)" : ""),
                    r.Judged == 0 ? "—" : Show.Percent((double)r.Passed / r.Judged, 0));
        }, "Requirement pass rates among the submissions that submitted the task's model.");
        var hardest = rates.Where(r => r.Judged > 0 && r.Points > 0).OrderBy(r => (double)r.Passed / r.Judged).ThenByDescending(r => r.Points).FirstOrDefault();
        if (hardest is not null)
            doc.Paragraph($"The hardest requirement is {hardest.Id} ({hardest.Points.ToString("0.##", CultureInfo.InvariantCulture)} points), met by {hardest.Passed} of {hardest.Judged} submissions " +
                          $"({Show.Percent((double)hardest.Passed / hardest.Judged, 0)}): {hardest.Text}");
        var problems = grades.SelectMany(g => g.Problems).GroupBy(p => p).OrderByDescending(p => p.Count()).Take(5).ToList();
        if (problems.Count > 0)
        {
            doc.Paragraph("The most common problems of submissions:", new TextStyle(settings.FontSize, Bold: true), TextAlign.Left);
            doc.Bullets(problems.Select(p => $"{p.Count()} × {p.Key}"));
        }

        doc.PageBreak();
        doc.Heading("Appendix: every submission", level: 2, numbered: false);
        doc.Table(t =>
        {
            t.Column("Submission").Column("Student").Column("Score", TextAlign.Right).Column("Not met").Column("Problems");
            foreach (var g in grades.OrderBy(g => g.Submission, StringComparer.Ordinal))
                t.Row(g.Submission, g.Student, $"{Num(g.Score)} / {Num(g.MaxScore)}",
                    string.Join(", ", g.Tasks.SelectMany(x => x.Requirements).Where(r => !r.Passed && r.Points > 0).Select(r => r.Id)),
                    string.Join("; ", g.Problems.Select(p => p.Length > 140 ? p[..140] + "…" : p)));
        }, "Every submission's score, the requirements it did not meet and its problems.");
        return doc.Save(path);
    }

    /// <summary>A histogram of scores: one bar per reachable score when the points are coarse, else ten equal bins.</summary>
    private static BarChartSpec Histogram(string title, IReadOnlyList<double> values, double max, IEnumerable<double> points)
    {
        var step = points.Where(p => p > 0).DefaultIfEmpty(1).Min();
        string[] categories;
        double[] counts;
        if (max > 0 && max / step <= 20)
        {
            int n = (int)Math.Round(max / step) + 1;
            categories = Enumerable.Range(0, n).Select(i => Num(i * step)).ToArray();
            counts = new double[n];
            foreach (var v in values) counts[Math.Clamp((int)Math.Round(v / step), 0, n - 1)]++;
        }
        else
        {
            var width = max > 0 ? max / 10 : 1;
            categories = Enumerable.Range(0, 10).Select(i => $"{Num(i * width)}–{Num((i + 1) * width)}").ToArray();
            counts = new double[10];
            foreach (var v in values) counts[Math.Clamp((int)(v / width), 0, 9)]++;
        }
        return new BarChartSpec($"{title}: score distribution", "points", "submissions", categories, [new BarSeries("submissions", counts)]);
    }

    private static double Median(IReadOnlyList<double> sorted) => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):0} MiB";
}
