using System.Text.Json.Serialization;
using Harness.Core.Configuration;

namespace Harness.Core.Records;

/// <summary>
/// Identifies one recorded run; equal keys mean the same experiment, settings, profile, seed and environment. The hash
/// covers the task's revision and settings and everything else that changes the numbers (device, libtorch and
/// TorchSharp versions, the thread count where it matters), so a record is only ever served for a run that would
/// reproduce it.
/// </summary>
public sealed record RunKey(string Assignment, string Task, Profile Profile, int Seed, string Device, string ConfigHash)
{
    [JsonIgnore] public string ProfileName => Profile.ToString().ToLowerInvariant();
    [JsonIgnore] public string FolderName => $"{ProfileName}-seed{Seed}-{Device}-{ConfigHash}";
    public override string ToString() => $"{Assignment}/{Task} [{ProfileName}, seed {Seed}, {Device}, {ConfigHash}]";
}

/// <summary>
/// Where and with what a run was made: the environment's fingerprint. <see cref="Device"/> is "cpu" or "cuda";
/// <see cref="DeviceName"/> the processor model or the CUDA device; <see cref="Cuda"/> says whether CUDA and cuDNN were
/// available to libtorch; <see cref="Threads"/> is libtorch's intra-op thread count.
/// </summary>
public sealed record EnvironmentInfo(string Device, string TorchSharpVersion, string LibTorchVersion, string? GitCommit, string Machine, int Threads,
    string DeviceName = "", string Cuda = "", string CpuModel = "", string Os = "", string DotNet = "");

/// <summary>
/// Clock readings: the only part of a record that differs between two runs with the same seed. <see cref="Resumed"/>:
/// the run continued an interrupted one from its checkpoints, so <see cref="WallSeconds"/> covers only the part after
/// the restart (training times carried in the checkpoints still count from the first start). <see cref="Work"/>: the
/// run's size in <see cref="Experiments.WorkVolume"/> units, so that its wall time can be scaled into an estimate for
/// another profile (<see cref="Planning.RunPlanner"/>); null for tasks that do not declare one.
/// </summary>
public sealed record TimingInfo(DateTimeOffset StartedUtc, DateTimeOffset FinishedUtc, double WallSeconds, IReadOnlyDictionary<string, double> Sections,
    bool Resumed = false, double? Work = null);

/// <summary>A table as the report shows it: caption, header and string cells.</summary>
public sealed record TableData(string Id, string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>A figure of a run: its data lives in <c>figures/{Id}.json</c> (a <see cref="FigureSpec"/>), with PNG and SVG beside it.</summary>
public sealed record FigureRef(string Id, string Caption, string SpecFile);

/// <summary>
/// Everything one task's run produced: settings, measured scalar values (what requirements judge), per-epoch series,
/// tables, figures, generated observations, and for every check computed during the run what it found (why it failed,
/// or what it verified). Serialised as record.json.
/// </summary>
public sealed record RunRecord
{
    public const int FormatVersion = 3;
    public int Format { get; init; } = FormatVersion;
    public required RunKey Key { get; init; }
    public required string Title { get; init; }
    /// <summary>Hyperparameters and data sizes as shown in the report.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }
    /// <summary>Measured numbers, e.g. "best_test_accuracy"; requirements read these. A check is 1 (holds) or 0.</summary>
    public required IReadOnlyDictionary<string, double> Values { get; init; }
    /// <summary>What each check found: the failure (which pixel, layer or pair) or what it verified, by value name.</summary>
    public IReadOnlyDictionary<string, string> Checks { get; init; } = new Dictionary<string, string>();
    /// <summary>Sequences such as per-epoch losses ("test_accuracy" → one value per epoch).</summary>
    public required IReadOnlyDictionary<string, double[]> Series { get; init; }
    public required IReadOnlyList<TableData> Tables { get; init; }
    public required IReadOnlyList<FigureRef> Figures { get; init; }
    public required IReadOnlyList<string> Observations { get; init; }
    /// <summary>Files the run left for other tasks (e.g. best weights), relative to the run folder.</summary>
    public required IReadOnlyDictionary<string, string> Artifacts { get; init; }
    public required EnvironmentInfo Environment { get; init; }
    public required TimingInfo Timing { get; init; }
    /// <summary>What went into the run key besides the settings: the task's revision, device, library versions, threads.</summary>
    public IReadOnlyDictionary<string, string> Provenance { get; init; } = new Dictionary<string, string>();
    /// <summary>The provenance entry an epoch-capped run carries (and only such a run), read by the key, the judge and the planner.</summary>
    public const string EpochsLimitKey = "epochs limit";
    /// <summary>The epochs every training of the run was capped at (<c>HarnessOptions.EpochsLimit</c>), or null for a run of the whole schedule.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int? EpochsLimit => Provenance.TryGetValue(EpochsLimitKey, out var v) && int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
    /// <summary>SHA-256 of the measured content (<see cref="RecordIntegrity"/>); set when the record is committed.</summary>
    public string? Integrity { get; init; }
    /// <summary>What a reader must know about the data the run was made from (e.g. "synthetic stand-in, not STL-10"), or null; the report prints it on its title page and in the task's section.</summary>
    public string? DataNote { get; init; }

    public double Value(string name) => Values.TryGetValue(name, out var v) ? v
        : throw new KeyNotFoundException($"the run record of {Key} has no value '{name}' (it has: {string.Join(", ", Values.Keys)})");
}
