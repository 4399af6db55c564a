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
    public static IEnumerable<TestFixtureData> Fixtures()
    {
        WriteCatalogueFile();
        return Assignments.All.SelectMany(a => a.Tasks).Select(task =>
        {
            var fixture = new TestFixtureData(task);
            fixture.Properties.Set("Assignment", task.Assignment);
            fixture.Properties.Set("Task", task.Id);
            fixture.SetArgDisplayNames($"{task.Assignment} {task.Id}");
            return fixture;
        });
    }

    /// <summary>
    /// NUnit explores every fixture even when a filter then selects none, so this is where the known tasks are written
    /// for tests/FilterGuard, whose message for an empty selection names them.
    /// </summary>
    private static void WriteCatalogueFile()
    {
        try
        {
            var lines = Assignments.All.Select(a => $"{a.Id}\t{string.Join(" ", a.Tasks.Select(t => t.Id))}");
            var path = Path.Combine(AppContext.BaseDirectory, "harness-tasks.txt");
            var temp = path + $".{Environment.ProcessId}.tmp";
            File.WriteAllLines(temp, lines);
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException) { }              // a read-only output folder only costs the hint
        catch (UnauthorizedAccessException) { }
    }
}
