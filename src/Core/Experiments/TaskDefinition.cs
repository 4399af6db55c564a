using Harness.Core.Configuration;
using Harness.Core.Requirements;

namespace Harness.Core.Experiments;

/// <summary>
/// One task of an assignment: the seed's text, its settings per profile, its requirements and the
/// reference solution (<see cref="Run"/>), which records everything into a <see cref="RunContext"/>.
/// </summary>
public abstract class TaskDefinition
{
    public abstract string Assignment { get; }
    public abstract string Id { get; }
    public abstract string Title { get; }
    /// <summary>The task as the seed words it (quoted in the report).</summary>
    public abstract string SeedText { get; }
    /// <summary>Bump when the experiment's code changes what it records, so old records are not reused.</summary>
    public virtual int Revision => 1;
    /// <summary>Task ids of the same assignment whose records this one reads (run first when missing).</summary>
    public virtual IReadOnlyList<string> DependsOn => Array.Empty<string>();
    public abstract IReadOnlyList<Requirement> Requirements { get; }
    /// <summary>Hyperparameters and sizes for a profile; hashed into the run key and shown in the report.</summary>
    public abstract object Settings(Profile profile);
    /// <summary>The settings a run with these options uses; tasks that honour an option beyond the profile override this.</summary>
    public virtual object Settings(HarnessOptions options) => Settings(options.Profile);
    public abstract void Run(RunContext context);

    public override string ToString() => $"{Assignment}/{Id} {Title}";
}

/// <summary>How an assignment's report is typeset (the Bath brief demands Arial 11).</summary>
public sealed record ReportStyle(string FontFamily = "Liberation Sans", float FontSize = 10.5f, int? WordLimit = null);

/// <summary>An assignment: its tasks in the seed's order and how its report looks.</summary>
public interface IAssignment
{
    string Id { get; }
    string Title { get; }
    string Course { get; }
    string Description { get; }
    ReportStyle Style { get; }
    IReadOnlyList<TaskDefinition> Tasks { get; }
}
