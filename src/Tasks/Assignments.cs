namespace Harness.Tasks;

/// <summary>Every assignment the harness knows, in the order `harness list` shows them.</summary>
public static class Assignments
{
    public static readonly IReadOnlyList<IAssignment> All = new IAssignment[]
    {
        new Ex08.Ex08Assignment(),
        new Hw4.Hw4Assignment(),
        new Cm500335.Cm500335Assignment(),
        new Ece4179.Ece4179Assignment(),
    };

    public static IAssignment Get(string id) =>
        All.FirstOrDefault(a => a.Id.Equals(id, StringComparison.OrdinalIgnoreCase))
        ?? throw new HarnessException($"Unknown assignment '{id}'. Known: {string.Join(", ", All.Select(a => a.Id))} (harness list shows them all).");

    public static TaskDefinition GetTask(string assignment, string task)
    {
        var a = Get(assignment);
        return a.Tasks.FirstOrDefault(t => t.Id.Equals(task, StringComparison.OrdinalIgnoreCase))
            ?? throw new HarnessException($"Assignment '{a.Id}' has no task '{task}'. Its tasks: {string.Join(", ", a.Tasks.Select(t => t.Id))}.");
    }
}
