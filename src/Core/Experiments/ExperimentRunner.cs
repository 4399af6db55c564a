using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Harness.Core.Configuration;
using Harness.Core.Records;
using Harness.Core.Training;
using TorchSharp;

namespace Harness.Core.Experiments;

/// <summary>
/// Runs tasks or reuses their records: a record is reused when assignment, task, revision, profile, seed and
/// settings all match. Dependencies are resolved first. Used alike by `harness run`, the tests and the report.
/// </summary>
public sealed class ExperimentRunner
{
    private readonly Func<string, string, TaskDefinition> _resolve;
    private readonly Dictionary<RunKey, (RunRecord, string)> _memo = new();
    private torch.Device? _device;

    public ExperimentRunner(HarnessOptions options, IProgressSink progress, Func<string, string, TaskDefinition> resolve)
    {
        Options = options; Progress = progress; _resolve = resolve; Store = new RunStore(options.OutputDir);
    }

    public HarnessOptions Options { get; }
    public IProgressSink Progress { get; }
    public RunStore Store { get; }
    public torch.Device Device => _device ??= RunEnvironment.ResolveDevice(Options.Device);

    /// <summary>
    /// The run key: task, revision, profile, seed and settings, plus everything in the environment that changes the
    /// numbers — the device (resolved, so --device cuda without CUDA fails here instead of reusing a CPU record), the
    /// TorchSharp and libtorch versions, and libtorch's thread count for tasks whose results depend on it.
    /// </summary>
    public RunKey KeyOf(TaskDefinition task)
    {
        var settings = task.SettingsJson(Options).GetRawText();
        var device = RunEnvironment.DeviceName(Device);
        var threads = task.DependsOnThreadCount ? RunEnvironment.EffectiveThreads(Options.Threads).ToString(System.Globalization.CultureInfo.InvariantCulture) : "any";
        var text = $"{task.Assignment}/{task.Id}/r{task.Revision}/{Options.ProfileName}/{Options.Seed}/{settings}" +
                   $"/{device}/torchsharp {RunEnvironment.TorchSharpVersion}/libtorch {RunEnvironment.LibTorchVersion}/threads {threads}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..10].ToLowerInvariant();
        return new RunKey(task.Assignment, task.Id, Options.Profile, Options.Seed, device, hash);
    }

    /// <summary>The existing record of exactly this task configuration, or null.</summary>
    public RunRecord? TryLoad(TaskDefinition task) => Store.TryLoad(KeyOf(task));

    public RunRecord LoadOrRun(TaskDefinition task, bool force = false) => LoadOrRunWithFolder(task, force).Record;

    public (RunRecord Record, string Folder) LoadOrRunWithFolder(TaskDefinition task, bool force = false)
    {
        var key = KeyOf(task);
        if (!force && _memo.TryGetValue(key, out var memo)) return memo;
        if (!force && Store.TryLoad(key) is { } existing)
        {
            Progress.Message($"Reusing {key} from {Store.RunFolder(key)}");
            return _memo[key] = (existing, Store.RunFolder(key));
        }
        var result = RunNow(task, key);
        return _memo[key] = result;
    }

    private (RunRecord, string) RunNow(TaskDefinition task, RunKey key)
    {
        // Dependencies first, so that their runs do not interleave with (or reseed in the middle of) this one.
        var deps = task.DependsOn.ToDictionary(id => id, id => LoadOrRunWithFolder(_resolve(task.Assignment, id)));
        var partial = Store.PartialFolder(key);
        if (Store.PreparePartialFolder(key))
            Progress.Message($"Found checkpoints of an interrupted run of {key}: training resumes where it stopped.");

        RunEnvironment.Seed(Options.Seed, Options.Threads);
        var context = new RunContext(task, key, Options, Device, partial, Progress,
            id => deps.TryGetValue(id, out var d) ? d
                : throw new InvalidOperationException($"{task} reads task {id} but does not list it in DependsOn"));
        Progress.Message($"Running {key} on {Device.type.ToString().ToLowerInvariant()}");
        var started = DateTimeOffset.UtcNow;
        task.Execute(context);
        var finished = DateTimeOffset.UtcNow;

        var record = context.Build(FlattenSettings(task.SettingsJson(Options)),
            RunEnvironment.Describe(Device, ProjectRoot()), started, finished);
        Store.Commit(record, partial);
        Progress.Message($"Recorded {key} in {(finished - started).TotalSeconds:0.0}s → {Store.RunFolder(key)}");
        return (record, Store.RunFolder(key));
    }

    /// <summary>Settings as "name" → value, nested records flattened to dotted names ("training.epochs").</summary>
    private static IReadOnlyDictionary<string, string> FlattenSettings(JsonElement settings)
    {
        var result = new Dictionary<string, string>();
        void Walk(JsonElement e, string prefix)
        {
            if (e.ValueKind == JsonValueKind.Object)
                foreach (var p in e.EnumerateObject()) Walk(p.Value, prefix.Length == 0 ? p.Name : prefix + "." + p.Name);
            else result[prefix] = SettingText.Of(e);
        }
        Walk(settings, "");
        return result;
    }

    private static string? ProjectRoot() =>
        OptionsLoader.FindSettingsFile() is { } f ? Path.GetDirectoryName(f) : null;
}
