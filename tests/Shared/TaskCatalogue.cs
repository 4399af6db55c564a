using Harness.Core.Experiments;
using Harness.Tasks;
using NUnit.Framework;

namespace Harness.TestSupport;

/// <summary>
/// Every task of every assignment, as the fixtures of <see cref="TaskRequirements{TTask}"/>: each carries the
/// "Assignment" and "Task" properties that `dotnet test --filter Task=1.2` selects by, so a new task needs no test file.
/// </summary>
public static class TaskCatalogue
{
    public static IEnumerable<TestFixtureData> Fixtures() =>
        Assignments.All.SelectMany(a => a.Tasks).Select(task =>
        {
            var fixture = new TestFixtureData(task);
            fixture.Properties.Set("Assignment", task.Assignment);
            fixture.Properties.Set("Task", task.Id);
            fixture.SetArgDisplayNames($"{task.Assignment} {task.Id}");
            return fixture;
        });
}
