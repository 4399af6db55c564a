namespace Harness.Core.Configuration;

/// <summary>Scale of an experiment: <c>smoke</c> is the CPU-sized CI version, <c>full</c> the seed's own settings.</summary>
public enum Profile { Smoke, Full }

/// <summary>Where tensors live: <c>auto</c> picks CUDA when libtorch reports it, else CPU.</summary>
public enum DeviceChoice { Auto, Cpu, Cuda }

/// <summary>Every setting of the harness. Bound from appsettings.json, then HARNESS__* environment variables, then CLI flags.</summary>
public sealed record HarnessOptions
{
    public Profile Profile { get; init; } = Profile.Smoke;
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    public int Seed { get; init; } = 42;
    /// <summary>Searched in order for data sets (absolute, or relative to the folder of appsettings.json).</summary>
    public IReadOnlyList<string> DataRoots { get; init; } = new[] { "../shared/data", "/usr/share/datasets" };
    /// <summary>When a data set is found nowhere, fetch it from the canonical mirrors into <see cref="DownloadRoot"/>.</summary>
    public bool AllowDownload { get; init; } = true;
    public string DownloadRoot { get; init; } = "~/.cache/harness/data";
    /// <summary>Data files decoded once and verified, so that later processes read them in milliseconds (see <see cref="Data.DecodedCache"/>).</summary>
    public string CacheDir { get; init; } = "~/.cache/harness/decoded";
    /// <summary>Run records and figures: OutputDir/assignment/task/profile-seed-hash/.</summary>
    public string OutputDir { get; init; } = "runs";
    public string ReportsDir { get; init; } = "reports";
    /// <summary>libtorch intra-op threads; 0 keeps libtorch's default.</summary>
    public int Threads { get; init; }
    /// <summary>
    /// Caps the training images of the tasks whose full profile is sized for a GPU (cm500335 6.1 and 6.2), so that a
    /// CPU machine can run them at a size it can afford; 0 = no cap. The cap is part of those tasks' settings, hence
    /// of the run's folder hash and its report, so a capped run never stands in for the full one. Other tasks ignore it.
    /// </summary>
    public int TrainImagesLimit { get; init; }
    /// <summary>
    /// The longest a missing full-profile run may be estimated to take for the regression suite to start it on this
    /// device (minutes; 0 = no limit). A task estimated above it is ignored with its estimate and the command that runs
    /// it anyway — never passed, never silently started.
    /// </summary>
    public int RunBudgetMinutes { get; init; } = 120;
    /// <summary>
    /// Caps every training's epochs (0 = no cap): a trial of a profile's whole code path at its data sizes, for the
    /// per-epoch time of each network and a projection of the whole run (e.g. the full profile on a CPU). The cap is part
    /// of the run key and every record and report made under it says so, so a capped run never stands in for the profile.
    /// </summary>
    public int EpochsLimit { get; init; }

    public string ProfileName => Profile.ToString().ToLowerInvariant();
}
