using FluentAssertions;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;
using NUnit.Framework;

namespace Harness.TestSupport;

/// <summary>
/// Turns a task's declared requirements into tests: the task is run (or its record reused) once per fixture, and each
/// requirement is one test case judged by <see cref="Requirement.Judge"/>, exactly as the report judges it. The test's
/// description is the requirement's generated sentence; a failure message carries what was measured and found.
/// </summary>
[TestFixtureSource(typeof(TaskCatalogue), nameof(TaskCatalogue.Fixtures))]
public sealed class TaskRequirements<TTask>(TTask task) where TTask : TaskDefinition, new()
{
    private RunRecord _record = null!;

    public static IEnumerable<TestCaseData> RequirementCases() =>
        new TTask().Requirements.Select(r => new TestCaseData(r.Id).SetName(r.Id).SetDescription(r.Text));

    [OneTimeSetUp]
    public void RunTask()
    {
        if (HarnessTestRun.ReasonNotToRun?.Invoke(task) is { } why) Assert.Ignore(why);
        _record = HarnessTestRun.Runner.LoadOrRun(task);
    }

    [TestCaseSource(nameof(RequirementCases))]
    public void Requirement(string id)
    {
        var requirement = task.FindRequirement(id);
        var verdict = requirement.Judge(_record);
        TestContext.Out.WriteLine($"{requirement.Text}\nmeasured {verdict.Measured}, required {verdict.Expected} ({_record.Key.ProfileName}){(verdict.Detail.Length > 0 ? "\n" + verdict.Detail : "")}");
        verdict.Outcome.Should().Be(Outcome.Pass,
            $"\"{requirement.Text}\" — measured {verdict.Measured}, required {verdict.Expected}. {verdict.Detail}");
    }
}
