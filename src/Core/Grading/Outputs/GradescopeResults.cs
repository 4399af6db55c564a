using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Records;
using Harness.Core.Reporting;

namespace Harness.Core.Grading.Outputs;

/// <summary>
/// A submission's grade in Gradescope's autograder format (results.json): score, max_score, execution_time, an output
/// for the whole submission, and one test per requirement with its score, max_score, status, output and visibility.
/// Tests hidden until publication are written with their visibility, and Gradescope keeps them from the student; the
/// submission-wide output names only what the student may see now.
/// </summary>
public static class GradescopeResults
{
    public static string Write(SubmissionGrade grade)
    {
        var tests = new JsonArray();
        foreach (var task in grade.Tasks)
            for (int i = 0; i < task.Requirements.Count; i++)
            {
                var r = task.Requirements[i];
                tests.Add(new JsonObject
                {
                    ["name"] = $"{task.TaskId} {r.Id}: {r.Text}",
                    ["number"] = $"{task.TaskId}.{i + 1}",
                    ["score"] = r.Earned,
                    ["max_score"] = r.Points,
                    ["status"] = r.Passed ? "passed" : "failed",
                    ["output"] = $"{GradeSheet.Label(r.Outcome)}: measured {r.Measured}, required {r.Expected}" + (r.Detail.Length > 0 ? $" ({r.Detail})" : ""),
                    ["visibility"] = r.Visibility.Gradescope(),
                    ["tags"] = new JsonArray(task.TaskId),
                });
            }
        var shown = grade.Tasks.SelectMany(t => t.Requirements).Where(r => r.Visibility.ShownNow()).ToList();
        var later = grade.Tasks.SelectMany(t => t.Requirements).Count(r => !r.Visibility.ShownNow());
        var lines = new List<string>
        {
            $"{grade.Student}: graded at the {grade.Profile.ToString().ToLowerInvariant()} profile's thresholds on the task's own held-out data.",
            $"{shown.Count(r => r.Passed)} of {shown.Count} requirements shown now pass" + (later > 0 ? $"; {later} more are judged and shown when grades are published." : "."),
        };
        lines.AddRange(grade.Problems.Select(p => "Note: " + p));
        var root = new JsonObject
        {
            ["score"] = grade.Score,
            ["max_score"] = grade.MaxScore,
            ["execution_time"] = Math.Round(grade.Seconds, 1),
            ["output"] = string.Join("\n", lines),
            ["visibility"] = "visible",
            ["stdout_visibility"] = "hidden",
            ["extra_data"] = new JsonObject { ["content_hash"] = grade.ContentHash, ["grading_key"] = grade.GradingKey },
            ["tests"] = tests,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = RecordJson.Options.Encoder }) + "\n";
    }
}
