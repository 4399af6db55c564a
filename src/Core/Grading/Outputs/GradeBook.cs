using System.Globalization;
using System.Text;

namespace Harness.Core.Grading.Outputs;

/// <summary>
/// The class's grade book as CSV (RFC 4180, one row per submission): submission, student, score and maximum, points per
/// task, points per requirement (hidden ones included: the grade book is the lecturer's), the requirements not met, the
/// submission's problems, and the time and memory it took.
/// </summary>
public static class GradeBook
{
    public static string Write(IReadOnlyList<SubmissionGrade> grades)
    {
        var tasks = grades.SelectMany(g => g.Tasks.Select(t => t.TaskId)).Distinct().ToList();
        var requirements = grades.SelectMany(g => g.Tasks.SelectMany(t => t.Requirements.Where(r => r.Points > 0).Select(r => r.Id))).Distinct().ToList();
        var sb = new StringBuilder();
        void Row(IEnumerable<string> cells) => sb.Append(string.Join(",", cells.Select(Quote))).Append("\r\n");
        Row(new[] { "submission", "student", "score", "max_score" }.Concat(tasks.Select(t => $"task {t}")).Concat(requirements)
            .Concat(["not_met", "problems", "seconds", "peak_mib", "content_hash", "graded_utc"]));
        foreach (var g in grades.OrderBy(g => g.Submission, StringComparer.Ordinal))
        {
            var byReq = g.Tasks.SelectMany(t => t.Requirements).GroupBy(r => r.Id).ToDictionary(x => x.Key, x => x.First());
            Row(new[] { g.Submission, g.Student, Num(g.Score), Num(g.MaxScore) }
                .Concat(tasks.Select(t => g.Tasks.FirstOrDefault(x => x.TaskId == t) is { } tg ? Num(tg.Earned) : ""))
                .Concat(requirements.Select(r => byReq.TryGetValue(r, out var rg) ? Num(rg.Earned) : ""))
                .Concat([
                    string.Join(" ", g.Tasks.SelectMany(t => t.Requirements).Where(r => !r.Passed).Select(r => r.Id)),
                    string.Join(" | ", g.Problems),
                    g.Seconds.ToString("0.0", CultureInfo.InvariantCulture),
                    (g.PeakBytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture),
                    g.ContentHash,
                    g.GradedUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ]));
        }
        return sb.ToString();
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A field quoted when it holds a comma, quote or line break; formula-leading characters are defused for spreadsheets.</summary>
    private static string Quote(string s)
    {
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) s = "'" + s;
        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
