using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;

namespace Harness.Core.Planning;

/// <summary>
/// What makes two runs of one key comparable bit for bit: the same device kind and model, libraries and thread
/// count. When a new record's fingerprint equals the baseline's, every value must be identical.
/// </summary>
public sealed record Fingerprint(string Device, string DeviceName, string TorchSharp, string LibTorch, int Threads)
{
    public static Fingerprint Of(EnvironmentInfo e) => new(e.Device, e.DeviceName, e.TorchSharpVersion, e.LibTorchVersion, e.Threads);
    public override string ToString() => $"{Device} ({DeviceName}), TorchSharp {TorchSharp}, libtorch {LibTorch}, {Threads} threads";
}

/// <summary>One requirement's golden number: the value it judges, the bound it was judged against, and the verdict.</summary>
public sealed record BaselineValue(string Requirement, string Value, double Measured, double? Bound, string Outcome);

/// <summary>One task's golden numbers and where they came from.</summary>
public sealed record BaselineTask(string Task, string RunKey, Fingerprint Environment, double WallSeconds, IReadOnlyList<BaselineValue> Values);

/// <summary>
/// An assignment's committed golden numbers (tests/Regression/baselines/&lt;assignment&gt;.json): every requirement
/// that judges a recorded value, from the records that existed when it was written.
/// </summary>
public sealed record AssignmentBaseline(string Assignment, string Profile, int Seed, DateTimeOffset Written, string? GitCommit, IReadOnlyList<BaselineTask> Tasks)
{
    public const int FormatVersion = 1;
    public int Format { get; init; } = FormatVersion;

    /// <summary>The baseline of every task of <paramref name="assignment"/> that has a record under the runner's options.</summary>
    public static AssignmentBaseline From(IAssignment assignment, ExperimentRunner runner, string? gitCommit)
    {
        var tasks = new List<BaselineTask>();
        foreach (var task in assignment.Tasks)
        {
            if (runner.TryLoad(task) is not { } record) continue;
            tasks.Add(new BaselineTask(task.Id, record.Key.ToString(), Fingerprint.Of(record.Environment), Math.Round(record.Timing.WallSeconds, 1),
                Values(task, record)));
        }
        return new AssignmentBaseline(assignment.Id, runner.Options.ProfileName, runner.Options.Seed, DateTimeOffset.UtcNow, gitCommit, tasks);
    }

    internal static IReadOnlyList<BaselineValue> Values(TaskDefinition task, RunRecord record) =>
        task.Requirements.Where(r => r.Value is not null && record.Values.ContainsKey(r.Value))
            .Select(r => new BaselineValue(r.Id, r.Value!, record.Values[r.Value!], r.Threshold?.For(record.Key.Profile), r.Judge(record).Outcome.ToString()))
            .ToList();

    public static string FileName(string assignment) => $"{RunStore.Safe(assignment)}.json";
}
