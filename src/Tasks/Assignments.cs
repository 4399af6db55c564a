namespace Harness.Tasks;

/// <summary>Every assignment the harness knows, in the order `harness list` shows them.</summary>
public static class Assignments
{
    public static readonly IReadOnlyList<IAssignment> All = new IAssignment[]
    {
        new Ex08.Ex08Assignment(),
        new Hw4.Hw4Assignment(),
        new Cm500335.Cm500335Assignment(),
        new Comp0090.Comp0090Assignment(),
        new Ece4179.Ece4179Assignment(),
    };

    public static IAssignment Get(string id) => Get(id, All);

    /// <summary>The assignment <paramref name="id"/>, or every assignment when it is null (a command's optional --assignment).</summary>
    public static IReadOnlyList<IAssignment> Selected(string? id) => id is null ? All : [Get(id)];

    /// <summary>The assignment <paramref name="id"/> of <paramref name="catalogue"/> (tests pass their own).</summary>
    public static IAssignment Get(string id, IReadOnlyList<IAssignment> catalogue) =>
        catalogue.FirstOrDefault(a => a.Id.Equals(id, StringComparison.OrdinalIgnoreCase))
        ?? throw new HarnessException($"Unknown assignment '{id}'. Known: {string.Join(", ", catalogue.Select(a => a.Id))} (harness list shows them all).");

    public static TaskDefinition GetTask(string assignment, string task) => GetTask(assignment, task, All);

    public static TaskDefinition GetTask(string assignment, string task, IReadOnlyList<IAssignment> catalogue)
    {
        var a = Get(assignment, catalogue);
        return a.Tasks.FirstOrDefault(t => t.Id.Equals(task, StringComparison.OrdinalIgnoreCase))
            ?? throw new HarnessException($"Assignment '{a.Id}' has no task '{task}'. Its tasks: {string.Join(", ", a.Tasks.Select(t => t.Id))}.");
    }
}
