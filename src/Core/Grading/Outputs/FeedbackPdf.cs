using System.Globalization;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Reporting;
using Harness.Core.Reporting.Document;
using Harness.Core.Requirements;

namespace Harness.Core.Grading.Outputs;

/// <summary>
/// A student's feedback PDF, set with the report's document engine: who and what was graded, then per task the verdicts
/// (measured against required, points), the accuracy with its interval, the confusion matrix of their model and what
/// to fix. Requirements shown only once grades are published are left out (and counted) unless revealed.
/// </summary>
public static class FeedbackPdf
{
    public static DocumentStats Write(string path, SubmissionGrade grade, IAssignment assignment, bool reveal)
    {
        var style = assignment.Style;
        var settings = new DocumentSettings
        {
            FontFamily = style.FontFamily,
            FontSize = style.FontSize,
            Title = $"{assignment.Title} — feedback for {grade.Student}",
            Author = "Harness grader",
            Subject = $"{assignment.Course}: {assignment.Title}, submission {grade.Submission}",
            Keywords = $"{assignment.Id}, grade, {grade.Submission}",
            Created = grade.GradedUtc.UtcDateTime,
            HeaderLeft = $"{assignment.Title} — feedback",
            HeaderRight = grade.Student,
            TitlePage = false,
        };
        var doc = new ReportDocument(settings);
        using var probe = FontSet.Resolve(style.FontFamily);
        bool Shown(RequirementGrade r) => reveal ? r.Visibility != Visibility.Hidden : r.Visibility is Visibility.Visible or Visibility.AfterDueDate;
        var shown = grade.Tasks.SelectMany(t => t.Requirements).Where(Shown).ToList();
        var withheld = grade.Tasks.SelectMany(t => t.Requirements).Where(r => !Shown(r)).ToList();

        doc.Heading($"Feedback: {assignment.Title}", numbered: false);
        doc.Table(t =>
        {
            t.Column("Submission").Column("");
            t.Row("Student", grade.Student);
            t.Row("Submission", grade.Submission);
            t.Row("Course", assignment.Course);
            t.Row("Graded", grade.GradedUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            t.Row("Thresholds", $"{grade.Profile.ToString().ToLowerInvariant()} profile, on each task's own held-out images");
            t.Row("Files (SHA-256)", grade.ContentHash[..16] + "…");
            t.Row("Score shown", $"{Num(shown.Sum(r => r.Earned))} of {Num(shown.Sum(r => r.Points))} points"
                + (withheld.Count > 0 ? $" (and {withheld.Count} requirement{(withheld.Count == 1 ? "" : "s")} worth {Num(withheld.Sum(r => r.Points))} points shown when grades are published)" : ""));
        });
        if (grade.Problems.Count > 0)
        {
            doc.Paragraph("About the submission:", new TextStyle(settings.FontSize, Bold: true), TextAlign.Left);
            doc.Bullets(grade.Problems);
        }
        foreach (var task in grade.Tasks)
        {
            doc.Heading($"Task {task.TaskId}: {task.Title}", level: 2, numbered: false);
            doc.Paragraph(task.File is null ? "No model file was submitted for this task."
                : $"Model file: {task.File}" + (task.Format is null ? "." : $" ({task.Format})."), align: TextAlign.Left);
            var rows = task.Requirements.Where(Shown).ToList();
            if (rows.Count > 0)
                doc.Table(t =>
                {
                    t.Column("Requirement").Column("Verdict").Column("Measured", TextAlign.Right).Column("Required", TextAlign.Right).Column("Points", TextAlign.Right);
                    foreach (var r in rows)
                        t.Row(r.Text, AssignmentReport.VerdictCell(new Verdict(r.Outcome, r.Measured, r.Expected)), Measured(r), r.Expected, $"{Num(r.Earned)} / {Num(r.Points)}");
                }, $"Task {task.TaskId}: verdicts.");
            var hiddenHere = task.Requirements.Count(r => !Shown(r));
            if (hiddenHere > 0)
                doc.Paragraph($"{hiddenHere} more requirement{(hiddenHere == 1 ? " is" : "s are")} judged and shown when grades are published.", align: TextAlign.Left);
            var details = rows.Where(r => r.Detail.Length > 0 && (r.Outcome != Outcome.Pass || r.Interval is not null)).Select(r => $"{r.Id}: {r.Detail}").ToList();
            if (details.Count > 0) doc.Bullets(details);
            if (task.Notes.Count > 0) doc.Bullets(task.Notes.Select(n => "Note: " + n));
            if (task.Confusion is { } c && rows.Any(r => r.Interval is not null))
                doc.Figure(Heatmap(task, c), $"Confusion matrix of the submitted model on the {c.Counts.Sum(r => r.Sum()):N0} held-out images ({c.Split}): rows are true classes, columns predicted ones.", probe.Family);
            var fixes = task.Fixes.Where(f => f.Requirement is null || rows.Any(r => r.Id == f.Requirement)).Select(f => f.Text).ToList();
            if (fixes.Count > 0)
            {
                doc.Paragraph("What to fix:", new TextStyle(settings.FontSize, Bold: true), TextAlign.Left);
                doc.Bullets(fixes);
            }
            else if (rows.All(r => r.Passed))
                doc.Paragraph("Every requirement shown here is met.", align: TextAlign.Left);
        }
        if (grade.Notes is { } notes) doc.Paragraph($"Your notes: {notes}", new TextStyle(settings.FontSize * 0.95f, Italic: true), TextAlign.Left);
        return doc.Save(path);
    }

    private static string Measured(RequirementGrade r) => r.Interval is { } ci
        ? $"{r.Measured}\n[{Show.Percent(ci.Low)}, {Show.Percent(ci.High)}]"
        : r.Measured;

    private static HeatmapSpec Heatmap(TaskGrade task, ConfusionData c) => new(
        $"Task {task.TaskId}: confusion matrix", c.Counts.Select(r => r.Select(v => (double)v).ToArray()).ToArray(),
        c.ClassNames.ToArray(), c.ClassNames.ToArray(), "predicted class", "true class");

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
