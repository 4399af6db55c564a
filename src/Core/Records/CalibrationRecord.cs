using System.Text.Json.Serialization;
using Harness.Core.Configuration;
using Harness.Core.Metrics;
using Harness.Core.Requirements;

namespace Harness.Core.Records;

/// <summary>
/// One seed of a calibration: the run it reused or made (<see cref="ConfigHash"/> completes its run key), the value it
/// measured, or why it has none (it did not converge).
/// </summary>
public sealed record CalibrationSeed(int Seed, string ConfigHash, double? Value, string? Failure = null);

/// <summary>
/// How one thresholded value of a task is distributed over K seeds at one profile (what `harness calibrate` writes):
/// the per-seed values and runs, their mean, standard deviation, range and one-sided 95% bounds, the bound in force when
/// it was made and the seed-set verdict it then had, with the environment's fingerprint. Sealed like a run record
/// (<see cref="RecordIntegrity"/>); the clock readings sit in <see cref="Timing"/>, outside the hash.
/// </summary>
public sealed record CalibrationRecord
{
    public const int FormatVersion = 1;
    public int Format { get; init; } = FormatVersion;
    public required string Assignment { get; init; }
    public required string Task { get; init; }
    public required string RequirementId { get; init; }
    public required string Value { get; init; }
    public required Profile Profile { get; init; }
    public required string Device { get; init; }
    /// <summary>The run key's hash without the seed (<see cref="Experiments.ExperimentRunner.SeedlessHash"/>): the configuration calibrated.</summary>
    public required string SettingsHash { get; init; }
    public required IReadOnlyList<CalibrationSeed> Seeds { get; init; }
    /// <summary>Over the seeds that converged; null when none did.</summary>
    public required SeedStatistics? Statistics { get; init; }
    public required Comparison Comparison { get; init; }
    /// <summary>The requirement's bound at this profile when the calibration was made.</summary>
    public required double Threshold { get; init; }
    /// <summary>The seed-set verdict (<see cref="Requirement.JudgeOverSeeds(SeedSet)"/>) when it was made; the report judges again.</summary>
    public required Verdict Verdict { get; init; }
    public required EnvironmentInfo Environment { get; init; }
    public required CalibrationTiming Timing { get; init; }
    public string? Integrity { get; init; }

    [JsonIgnore] public int K => Seeds.Count;
    [JsonIgnore] public string SeedList => string.Join(", ", Seeds.Select(s => s.Seed));
    [JsonIgnore] public string ProfileName => Profile.ToString().ToLowerInvariant();
}

/// <summary>When the calibration was written, and each seed's wall time and training time (seconds, as its record states them).</summary>
public sealed record CalibrationTiming(DateTimeOffset CreatedUtc, IReadOnlyDictionary<string, double> WallSeconds, IReadOnlyDictionary<string, double> TrainSeconds)
{
    /// <summary>
    /// A run's training time: the trainer's own "…train_seconds" sections, or, for a task that trains outside it, its
    /// "training" section (ctx.Timed). Not both: a task's "training" section usually wraps the trainer's, and adding
    /// them counted the time twice.
    /// </summary>
    public static double TrainingSeconds(TimingInfo timing)
    {
        var trainer = timing.Sections.Where(s => s.Key.EndsWith("train_seconds", StringComparison.Ordinal)).ToList();
        return trainer.Count > 0 ? trainer.Sum(s => s.Value) : timing.Sections.GetValueOrDefault("training");
    }
}
