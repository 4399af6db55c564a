using System.Globalization;
using System.Xml.Linq;
using Harness.Core.Requirements;

namespace Harness.Core.Grading.Outputs;

/// <summary>A submission's verdicts as JUnit XML: one suite per task, one case per requirement (fail → failure, not submitted → skipped).</summary>
public static class GradeJUnit
{
    public static string Write(SubmissionGrade grade)
    {
        static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        XElement Case(TaskGrade t, RequirementGrade r)
        {
            var tc = new XElement("testcase",
                new XAttribute("classname", $"{grade.Assignment}.{t.TaskId}"),
                new XAttribute("name", $"{r.Id}: {r.Text}"),
                new XAttribute("time", "0"));
            var message = $"measured {r.Measured}, required {r.Expected}";
            switch (r.Outcome)
            {
                case Outcome.Fail: tc.Add(new XElement("failure", new XAttribute("message", message), r.Detail)); break;
                case Outcome.NotRun: tc.Add(new XElement("skipped", new XAttribute("message", r.Detail))); break;
                case Outcome.Error: tc.Add(new XElement("error", new XAttribute("message", r.Detail))); break;
            }
            tc.Add(new XElement("system-out", $"{message}; points {Num(r.Earned)} of {Num(r.Points)}; visibility {r.Visibility.Gradescope()}"));
            return tc;
        }
        XAttribute[] Counts(IReadOnlyCollection<RequirementGrade> rows) =>
        [
            new("tests", rows.Count),
            new("failures", rows.Count(r => r.Outcome == Outcome.Fail)),
            new("errors", rows.Count(r => r.Outcome == Outcome.Error)),
            new("skipped", rows.Count(r => r.Outcome == Outcome.NotRun)),
        ];
        var all = grade.Tasks.SelectMany(t => t.Requirements).ToList();
        var root = new XElement("testsuites", new XAttribute("name", $"{grade.Assignment} submission {grade.Submission} ({grade.Student})"), Counts(all),
            grade.Tasks.Select(t => new XElement("testsuite", new XAttribute("name", $"{grade.Assignment}/{t.TaskId} {t.Title} — {grade.Submission}"),
                Counts(t.Requirements.ToList()), t.Requirements.Select(r => Case(t, r)))));
        return new XDeclaration("1.0", "utf-8", null) + "\n" + root + "\n";
    }
}
