using Harness.Core.Configuration;

namespace Harness.Core.Planning;

/// <summary>The plan as text, alike for `harness plan` and the regression suite's opening lines.</summary>
public static class PlanText
{
    /// <summary>One line per task: present or missing, the estimate, and what it rests on; then the totals.</summary>
    public static string Table(IReadOnlyList<RunEstimate> estimates, HarnessOptions options)
    {
        var lines = estimates.Select(e => $"  {(e.Present ? "present" : "missing"),-8} {e.Id,-16} {(e.Present ? "" : RunEstimate.Duration(e.Seconds)),-12} {(e.Present ? "" : e.Explanation)}{(OverBudget(e, options) ? "  [over the run budget]" : "")}").ToList();
        var missing = estimates.Where(e => !e.Present).ToList();
        var known = missing.Where(e => e.Seconds is not null).Sum(e => e.Seconds!.Value);
        lines.Add($"  {estimates.Count - missing.Count} present, {missing.Count} missing: {RunEstimate.Duration(known)} estimated{(missing.Any(e => e.Seconds is null) ? $" + {missing.Count(e => e.Seconds is null)} unknown" : "")}; run budget {(options.RunBudgetMinutes == 0 ? "none" : RunEstimate.Duration(options.RunBudgetMinutes * 60.0))} per task (RunBudgetMinutes)");
        return string.Join('\n', lines);
    }

    public static bool OverBudget(RunEstimate e, HarnessOptions options) =>
        options.RunBudgetMinutes > 0 && e.Seconds > options.RunBudgetMinutes * 60.0;
}
