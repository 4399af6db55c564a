using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Planning;
using Harness.Tasks;
using Harness.TestSupport;
using NUnit.Framework;

/// <summary>
/// The nightly suite: the seeds' own settings and thresholds (profile "full"), best on a GPU. Before anything trains
/// it prints which full-profile records exist and what each missing one is estimated to take on this device; a task
/// estimated above the run budget (RunBudgetMinutes) is ignored with its estimate and the command that runs it anyway.
/// A task with no earlier run on this device is first measured at the smoke profile (seconds to a minute). Outside any
/// namespace on purpose: a SetUpFixture applies to its namespace, and the task fixtures live in Harness.TestSupport.
/// </summary>
[SetUpFixture]
public sealed class SuiteSetup
{
    private RunPlanner _planner = null!;
    private readonly Dictionary<string, RunEstimate> _estimates = new();

    [OneTimeSetUp]
    public void PlanTheRun()
    {
        HarnessTestRun.ProfileOverride = Profile.Full;
        var runner = HarnessTestRun.Runner;
        _planner = new RunPlanner(runner, Assignments.GetTask);
        var all = Assignments.All.SelectMany(a => a.Tasks).Select(t => _estimates[Id(t)] = _planner.Estimate(t)).ToList();
        TestContext.Progress.WriteLine($"Regression plan ({runner.Options.ProfileName} profile, seed {runner.Options.Seed}, records in {runner.Store.Root}); only the tasks your filter selects run:");
        TestContext.Progress.WriteLine(PlanText.Table(all, runner.Options));
        HarnessTestRun.ReasonNotToRun = OverBudget;
    }

    [OneTimeTearDown]
    public void Done() => HarnessTestRun.ReasonNotToRun = null;

    private static string Id(TaskDefinition t) => $"{t.Assignment}/{t.Id}";

    private string? OverBudget(TaskDefinition task)
    {
        var options = HarnessTestRun.Runner.Options;
        if (options.RunBudgetMinutes == 0) return null;
        var seconds = _planner.WithDependencies(task, _estimates);
        if (seconds is null)
        {
            TestContext.Progress.WriteLine($"{Id(task)}: no earlier run on this device; measuring it at the smoke profile first");
            foreach (var e in _estimates.Where(e => e.Value.Basis == EstimateBasis.Unknown).ToList()) _estimates.Remove(e.Key);
            _estimates[Id(task)] = _planner.Measure(task, HarnessTestRun.Runner.Progress);
            seconds = _planner.WithDependencies(task, _estimates);
        }
        var own = _estimates[Id(task)];
        TestContext.Progress.WriteLine($"{Id(task)}: {(own.Present ? "recorded" : $"estimated {RunEstimate.Duration(seconds)} ({own.Explanation})")}");
        if (seconds is null || seconds <= options.RunBudgetMinutes * 60.0) return null;
        return $"{Id(task)} is estimated at {RunEstimate.Duration(seconds)} on this device ({own.Explanation}{(seconds > own.Seconds ? ", with its missing dependencies" : "")}), " +
               $"above the run budget of {RunEstimate.Duration(options.RunBudgetMinutes * 60.0)} (RunBudgetMinutes). Not run, not passed. Run it anyway: " +
               $"HARNESS__RunBudgetMinutes=0 dotnet test tests/Regression --filter \"Assignment={task.Assignment}&Task={task.Id}\", " +
               $"or harness run --assignment {task.Assignment} --task {task.Id} --profile full";
    }
}
