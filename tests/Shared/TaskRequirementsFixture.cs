using System.Reflection;
using FluentAssertions;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;
using NUnit.Framework;

namespace Harness.TestSupport;

/// <summary>
/// Turns a task's declared requirements into tests: the task is run (or its record reused) once per fixture, and
/// each requirement is one test case judged by <see cref="Requirement.Judge"/>, exactly as the report judges it.
/// Derived fixtures carry [Property("Assignment", …)] and [Property("Task", …)] so that
/// `dotnet test --filter Task=1.2` selects them.
/// </summary>
public abstract class TaskRequirementsFixture<TTask> where TTask : TaskDefinition, new()
{
    protected static readonly TTask Task = new();
    protected RunRecord Record { get; private set; } = null!;
    protected string RunFolder { get; private set; } = "";

    public static IEnumerable<TestCaseData> RequirementCases() =>
        Task.Requirements.Select(r => new TestCaseData(r.Id).SetName($"{r.Id}"));

    [OneTimeSetUp]
    public void RunTask()
    {
        var props = GetType().GetCustomAttributes<PropertyAttribute>().SelectMany(p => p.Properties.Keys.Cast<string>()
            .SelectMany(k => p.Properties[k].Cast<object>().Select(v => (k, v: v?.ToString()))));
        props.Should().Contain(("Assignment", Task.Assignment), "the fixture must carry the Assignment property for --filter");
        props.Should().Contain(("Task", Task.Id), "the fixture must carry the Task property for --filter");
        (Record, RunFolder) = HarnessTestRun.Runner.LoadOrRunWithFolder(Task);
    }

    [TestCaseSource(nameof(RequirementCases))]
    public void Requirement(string id)
    {
        var requirement = Task.Requirements.Single(r => r.Id == id);
        var verdict = requirement.Judge(Record);
        TestContext.Out.WriteLine($"{requirement.Text}\nmeasured {verdict.Measured}, required {verdict.Expected} ({Record.Key.Profile})");
        verdict.Outcome.Should().Be(Outcome.Pass,
            $"\"{requirement.Text}\" — measured {verdict.Measured}, required {verdict.Expected}. {verdict.Detail}");
    }
}
