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
    public RunKey KeyOf(TaskDefinition task) => KeyAndProvenance(task).Key;

    /// <summary>The key and what went into it besides the settings (kept in the record, so a mismatch can be explained).</summary>
    private (RunKey Key, Dictionary<string, string> Provenance) KeyAndProvenance(TaskDefinition task)
    {
        var settings = task.SettingsJson(Options).GetRawText();
        var device = RunEnvironment.DeviceName(Device);
        var provenance = new Dictionary<string, string>
        {
            ["revision"] = task.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["device"] = device,
            ["torchsharp"] = RunEnvironment.TorchSharpVersion,
            ["libtorch"] = RunEnvironment.LibTorchVersion,
            ["threads"] = task.DependsOnThreadCount ? RunEnvironment.EffectiveThreads(Options.Threads).ToString(System.Globalization.CultureInfo.InvariantCulture) : "any",
        };
        if (Options.EpochsLimit > 0) provenance[RunRecord.EpochsLimitKey] = Options.EpochsLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (new RunKey(task.Assignment, task.Id, Options.Profile, Options.Seed, device, Hash(KeyText(task, settings, provenance, $"{Options.Seed}"))), provenance);
    }

    /// <summary>
    /// The run key's hash with the seed left out: the same for every seed of one task configuration (settings, revision,
    /// profile, device, versions, threads), so that a calibration over seeds is found again for exactly that configuration.
    /// </summary>
    public string SeedlessHash(TaskDefinition task)
    {
        var (_, provenance) = KeyAndProvenance(task);
        return Hash(KeyText(task, task.SettingsJson(Options).GetRawText(), provenance, "*"));
    }

    private string KeyText(TaskDefinition task, string settings, IReadOnlyDictionary<string, string> provenance, string seed) =>
        $"{task.Assignment}/{task.Id}/r{task.Revision}/{Options.ProfileName}/{seed}/{settings}" +
        $"/{provenance["device"]}/torchsharp {provenance["torchsharp"]}/libtorch {provenance["libtorch"]}/threads {provenance["threads"]}" +
        // Only a capped run adds to the text, so that the keys of uncapped runs stay what they were.
        (provenance.TryGetValue(RunRecord.EpochsLimitKey, out var cap) ? $"/epochs limit {cap}" : "");

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..10].ToLowerInvariant();

    /// <summary>
    /// Why there is no usable record of this task: null when there is one (or none at all), else what stands in the
    /// way — a broken or edited record at this key, or records of the same task, profile and seed made with other
    /// settings, another revision or another environment (each with what differs).
    /// </summary>
    public string? WhyNoRecord(TaskDefinition task)
    {
        var (key, provenance) = KeyAndProvenance(task);
        try { if (Store.TryLoad(key) is not null) return null; }
        catch (BrokenRecordException e) { return "broken record: " + e.Message; }
        var settings = FlattenSettings(task.SettingsJson(Options));
        var others = Store.Others(key).Select(o => o.Record is { } r
            ? $"{Path.GetFileName(o.Folder)} differs in {Differences(settings, provenance, r)}"
            : $"{Path.GetFileName(o.Folder)} is broken ({o.Problem})").ToList();
        return others.Count == 0 ? null
            : $"no record matches these settings and this environment; the records of this task at {key.ProfileName}, seed {key.Seed} no longer match: {string.Join("; ", others)}";
    }

    private static string Differences(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> provenance, RunRecord r)
    {
        var diffs = settings.Where(s => !r.Settings.TryGetValue(s.Key, out var v) || v != s.Value)
            .Select(s => $"{s.Key} ({(r.Settings.TryGetValue(s.Key, out var v) ? v : "absent")} → {s.Value})")
            .Concat(provenance.Where(p => !r.Provenance.TryGetValue(p.Key, out var v) || v != p.Value)
                .Select(p => $"{p.Key} ({(r.Provenance.TryGetValue(p.Key, out var v) ? v : "unknown")} → {p.Value})"))
            .ToList();
        return diffs.Count == 0 ? "what the run key covers" : string.Join(", ", diffs);
    }

    /// <summary>The existing record of exactly this task configuration, or null; a broken one throws <see cref="BrokenRecordException"/>.</summary>
    public RunRecord? TryLoad(TaskDefinition task) => Store.TryLoad(KeyOf(task));

    public RunRecord LoadOrRun(TaskDefinition task, bool force = false) => LoadOrRunWithFolder(task, force).Record;

    /// <summary>
    /// The task's record: reused when one matches, else run (its dependencies first). The run key's lock is held while
    /// running, so a second process on the same key waits and then reuses the finished record. A broken or hand-edited
    /// record is measured again, saying so.
    /// </summary>
    public (RunRecord Record, string Folder) LoadOrRunWithFolder(TaskDefinition task, bool force = false)
    {
        var (key, provenance) = KeyAndProvenance(task);
        if (!force && _memo.TryGetValue(key, out var memo)) return memo;
        if (!force && TryReuse(key) is { } existing) return _memo[key] = existing;
        // Dependencies first, so that their runs do not interleave with (or reseed in the middle of) this one.
        var deps = task.DependsOn.ToDictionary(id => id, id => LoadOrRunWithFolder(_resolve(task.Assignment, id)));
        using (Store.Lock(key, Progress.Message))
        {
            if (!force && TryReuse(key) is { } finished) return _memo[key] = finished;   // made by the process we waited for
            return _memo[key] = RunNow(task, key, provenance, deps, force);
        }
    }

    private (RunRecord, string)? TryReuse(RunKey key)
    {
        try
        {
            if (Store.TryLoad(key) is not { } existing) return null;
            Progress.Message($"Reusing {key} from {Store.RunFolder(key)}");
            return (existing, Store.RunFolder(key));
        }
        catch (BrokenRecordException e)
        {
            Progress.Message($"warning: {e.Message} It is measured again.");
            return null;
        }
    }

    private (RunRecord, string) RunNow(TaskDefinition task, RunKey key, Dictionary<string, string> provenance,
        Dictionary<string, (RunRecord, string)> deps, bool force)
    {
        var partial = Store.PartialFolder(key);
        if (Store.PreparePartialFolder(key, discardCheckpoints: force))
            Progress.Message($"Found checkpoints of an interrupted run of {key}: training resumes where it stopped.");
        try
        {
            RunEnvironment.Seed(Options.Seed, Options.Threads);
            var context = new RunContext(task, key, Options, Device, partial, Progress,
                id => deps.TryGetValue(id, out var d) ? d
                    : throw new InvalidOperationException($"{task} reads task {id} but does not list it in DependsOn"));
            Progress.Message($"Running {key} on {RunEnvironment.DeviceName(Device)}");
            var started = DateTimeOffset.UtcNow;
            task.Execute(context);
            var finished = DateTimeOffset.UtcNow;

            var record = context.Build(FlattenSettings(task.SettingsJson(Options)),
                RunEnvironment.Describe(Device, ProjectRoot()), started, finished) with { Provenance = provenance };
            FaultInjection.At("record:before-commit");
            Store.Commit(record, partial);
            Progress.Message($"Recorded {key} in {(finished - started).TotalSeconds:0.0}s → {Store.RunFolder(key)}");
            return (record, Store.RunFolder(key));
        }
        catch
        {
            Store.AbandonPartial(key);   // keeps the folder only when it holds checkpoints to resume from
            throw;
        }
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
