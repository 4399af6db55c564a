using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Training;
using Harness.Tasks;
using NUnit.Framework;

namespace Harness.TestSupport;

/// <summary>
/// One runner per test process, so tasks that several fixtures need (and dependencies) run once and are reused.
/// Options come from appsettings.json and HARNESS__* variables like the CLI's; a suite may force its profile.
/// </summary>
public static class HarnessTestRun
{
    private static ExperimentRunner? _runner;
    private static readonly object Lock = new();

    /// <summary>Set by a suite's SetUpFixture (Regression forces "full").</summary>
    public static Profile? ProfileOverride { get; set; }

    /// <summary>
    /// Asked before a task's fixture runs it: a reason not to (the regression suite's run budget), which ignores the
    /// fixture with that reason; null runs it.
    /// </summary>
    public static Func<TaskDefinition, string?>? ReasonNotToRun { get; set; }

    public static HarnessOptions Options
    {
        get
        {
            var overrides = new Dictionary<string, string?>();
            if (ProfileOverride is { } p) overrides[nameof(HarnessOptions.Profile)] = p.ToString();
            return OptionsLoader.Load(overrides);
        }
    }

    public static ExperimentRunner Runner
    {
        get
        {
            lock (Lock)
                return _runner ??= new ExperimentRunner(Options, new LineProgress(TestContext.Progress, linesPerTask: 2), Assignments.GetTask);
        }
    }
}
