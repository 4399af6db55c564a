using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;

namespace Harness.Core.Reporting;

/// <summary>Machine-readable companions of the report: JUnit XML and Gradescope results.json.</summary>
public static class ResultFiles
{
    static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>One testsuite per task, one testcase per requirement; fail → failure, not run → skipped, error → error.</summary>
    public static string JUnit(IAssignment assignment, IReadOnlyList<GradeRow> grades)
    {
        XElement Case(GradeRow g)
        {
            var tc = new XElement("testcase",
                new XAttribute("classname", $"{assignment.Id}.{g.TaskId}"),
                new XAttribute("name", $"{g.Requirement.Id}: {g.Requirement.Text}"),
                new XAttribute("time", "0"));
            var message = $"measured {g.Verdict.Measured}, expected {g.Verdict.Expected}";
            switch (g.Verdict.Outcome)
            {
                case Outcome.Fail: tc.Add(new XElement("failure", new XAttribute("message", message), g.Verdict.Detail)); break;
                case Outcome.NotRun: tc.Add(new XElement("skipped", new XAttribute("message", "not run: " + g.Verdict.Detail))); break;
                case Outcome.Error: tc.Add(new XElement("error", new XAttribute("message", g.Verdict.Detail))); break;
            }
            tc.Add(new XElement("system-out", $"{message}; points {Num(g.Earned)} of {Num(g.Possible)}"));
            return tc;
        }
        XElement Suite(string name, IReadOnlyList<GradeRow> rows) => new("testsuite",
            new XAttribute("name", name),
            new XAttribute("tests", rows.Count),
            new XAttribute("failures", rows.Count(r => r.Verdict.Outcome == Outcome.Fail)),
            new XAttribute("errors", rows.Count(r => r.Verdict.Outcome == Outcome.Error)),
            new XAttribute("skipped", rows.Count(r => r.Verdict.Outcome == Outcome.NotRun)),
            rows.Select(Case));
        var suites = assignment.Tasks.Select(t => Suite($"{assignment.Id}/{t.Id} {t.Title}", grades.Where(g => g.TaskId == t.Id).ToList()))
            .Concat(grades.Any(g => g.TaskId == AssignmentReport.ReportTaskId)
                ? new[] { Suite($"{assignment.Id}/report", grades.Where(g => g.TaskId == AssignmentReport.ReportTaskId).ToList()) }
                : Array.Empty<XElement>()).ToList();
        var root = new XElement("testsuites",
            new XAttribute("name", $"{assignment.Id} {assignment.Title}"),
            new XAttribute("tests", grades.Count),
            new XAttribute("failures", grades.Count(r => r.Verdict.Outcome == Outcome.Fail)),
            new XAttribute("errors", grades.Count(r => r.Verdict.Outcome == Outcome.Error)),
            new XAttribute("skipped", grades.Count(r => r.Verdict.Outcome == Outcome.NotRun)),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root + "\n";
    }

    /// <summary>Gradescope autograder format: score, max_score and one test per requirement.</summary>
    public static string Gradescope(IReadOnlyList<GradeRow> grades)
    {
        var tests = new JsonArray();
        foreach (var g in grades)
            tests.Add(new JsonObject
            {
                ["name"] = $"{g.TaskId} {g.Requirement.Id}: {g.Requirement.Text}",
                ["score"] = g.Earned,
                ["max_score"] = g.Possible,
                ["status"] = g.Verdict.Passed ? "passed" : "failed",
                ["output"] = $"{GradeSheet.Label(g.Verdict.Outcome)}: measured {g.Verdict.Measured}, expected {g.Verdict.Expected}"
                             + (g.Verdict.Detail.Length > 0 ? $" ({g.Verdict.Detail})" : ""),
            });
        var root = new JsonObject
        {
            ["score"] = grades.Sum(g => g.Earned),
            ["max_score"] = grades.Sum(g => g.Possible),
            ["tests"] = tests,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = RecordJson.Options.Encoder });
    }
}
