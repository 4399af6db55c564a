using System.Text.Json;
using Harness.Core.Configuration;
using Harness.Core.Records;
using Harness.Core.Requirements;

namespace Harness.Core.Experiments;

/// <summary>
/// One task of an assignment as the catalogue, the runner and the report see it: the seed's text, its requirements,
/// the tasks it reads, and its settings as JSON (hashed into the run key, shown in the report). Tasks derive from
/// <see cref="TaskDefinition{TSettings}"/>, which types the settings.
/// </summary>
public abstract class TaskDefinition
{
    private IReadOnlyList<Requirement>? _requirements;

    public abstract string Assignment { get; }
    public abstract string Id { get; }
    public abstract string Title { get; }
    /// <summary>The task as the seed words it (quoted in the report).</summary>
    public abstract string SeedText { get; }
    /// <summary>Bump when the experiment's code changes what it records, so old records are not reused.</summary>
    public virtual int Revision => 1;
    /// <summary>Task ids of the same assignment whose records this one reads (run first when missing).</summary>
    public virtual IReadOnlyList<string> DependsOn => Array.Empty<string>();
    /// <summary>
    /// Whether the numbers depend on libtorch's thread count (summation order of parallel kernels); tasks that pin
    /// their own thread count say no, and their run key then leaves the thread count out.
    /// </summary>
    public virtual bool DependsOnThreadCount => true;

    /// <summary>The requirements, declared once by <see cref="DeclareRequirements"/> (which may read the task's settings).</summary>
    public IReadOnlyList<Requirement> Requirements => _requirements ??= DeclareRequirements().ToList();
    protected abstract IEnumerable<Requirement> DeclareRequirements();
    /// <summary>One requirement by id (its threshold, e.g., for the observations that compare against it).</summary>
    public Requirement FindRequirement(string id) => Requirements.FirstOrDefault(r => r.Id == id)
        ?? throw new KeyNotFoundException($"{this} has no requirement '{id}'");

    /// <summary>The settings a run with these options uses, as JSON.</summary>
    public abstract JsonElement SettingsJson(HarnessOptions options);
    /// <summary>
    /// How much computation a run with these options is, in <see cref="WorkVolume"/> units (image passes), so that a
    /// missing run's time can be estimated from a measured run of the same task at another size. Null: not declared
    /// (an estimate then assumes the measured run's size, and says so).
    /// </summary>
    public abstract double? Work(HarnessOptions options);
    internal abstract void Execute(RunContext context);

    public override string ToString() => $"{Assignment}/{Id} {Title}";
}

/// <summary>
/// A task with typed settings: declared once per profile (<see cref="Settings(Profile)"/>), handed to <see cref="Run"/>,
/// and reachable by a dependent task through the task's type (<see cref="RunContext.Dependency{TTask}"/>).
/// </summary>
public abstract class TaskDefinition<TSettings> : TaskDefinition where TSettings : notnull
{
    /// <summary>Hyperparameters and sizes for a profile.</summary>
    public abstract TSettings Settings(Profile profile);
    /// <summary>The settings a run with these options uses; tasks that honour an option beyond the profile override this.</summary>
    public virtual TSettings Settings(HarnessOptions options) => Settings(options.Profile);
    /// <summary>The reference solution: records everything into the context.</summary>
    protected abstract void Run(RunContext context, TSettings settings);

    public sealed override JsonElement SettingsJson(HarnessOptions options) => JsonSerializer.SerializeToElement(Settings(options), RecordJson.Options);
    public sealed override double? Work(HarnessOptions options) => Work(Settings(options));
    /// <summary>The run's size in <see cref="WorkVolume"/> units, from its settings (see <see cref="TaskDefinition.Work"/>).</summary>
    protected virtual double? Work(TSettings settings) => null;
    internal sealed override void Execute(RunContext context) => Run(context, Settings(context.Options));
}

/// <summary>How an assignment's report is typeset (the Bath brief demands Arial 11).</summary>
/// <param name="FontRequired">the brief demands this family and size: the grade sheet gets a graded "report font" row</param>
public sealed record ReportStyle(string FontFamily = "Liberation Sans", float FontSize = 10.5f, int? WordLimit = null, bool FontRequired = false);

/// <summary>
/// A section of the report that is no task, written by people (e.g. who contributed what): its text is read from
/// <see cref="FileName"/> beside the configuration (appsettings.json), paragraphs separated by blank lines; while the
/// file is missing the section says what it should hold (<see cref="Asks"/>) and where to write it.
/// </summary>
public sealed record ExtraSection(string Heading, string FileName, string Asks);

/// <summary>An assignment: its tasks in the seed's order and how its report looks.</summary>
public interface IAssignment
{
    string Id { get; }
    string Title { get; }
    string Course { get; }
    string Description { get; }
    ReportStyle Style { get; }
    IReadOnlyList<TaskDefinition> Tasks { get; }
    /// <summary>Sections after the tasks whose text people write (none by default).</summary>
    IReadOnlyList<ExtraSection> ExtraSections => [];
}
