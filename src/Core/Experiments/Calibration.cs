using Harness.Core.Configuration;
using Harness.Core.Metrics;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Core.Training;

namespace Harness.Core.Experiments;

/// <summary>What one calibration produced: the seeds' runs, a record per thresholded value and where each was written.</summary>
public sealed record CalibrationResult(TaskDefinition Task, SeedSet Set, IReadOnlyList<CalibrationRecord> Records, IReadOnlyList<string> Files);

/// <summary>
/// `harness calibrate`: runs one task on K seeds and writes, for each of its thresholded values, how that value is
/// distributed over them (<see cref="CalibrationRecord"/>). Each seed's run is an ordinary run record under its own key
/// (made or reused by <see cref="ExperimentRunner"/>, with its dependencies at the same seed), so an interrupted
/// calibration resumes where it stopped: finished seeds are reused and the interrupted one resumes from its
/// checkpoints. A seed whose training diverges is kept as a seed that did not converge.
/// </summary>
public sealed class Calibrator(HarnessOptions options, IProgressSink progress, Func<string, string, TaskDefinition> resolve)
{
    public RunStore Runs { get; } = new(options.OutputDir);
    public CalibrationStore Store { get; } = new(options.OutputDir);

    /// <summary>K seeds: the configured seed first (42 by default), then 1, 2, 3, … (skipping it): 42, 1, 2 for K = 3.</summary>
    public static IReadOnlyList<int> DefaultSeeds(int first, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "a calibration needs at least one seed");
        var seeds = new List<int> { first };
        for (int s = 1; seeds.Count < count; s++) if (s != first) seeds.Add(s);
        return seeds;
    }

    private ExperimentRunner RunnerFor(int seed) => new(options with { Seed = seed }, progress, resolve);

    public CalibrationResult Calibrate(TaskDefinition task, IReadOnlyList<int> seeds, bool force = false)
    {
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count)
            throw new ArgumentException("a calibration needs distinct seeds", nameof(seeds));
        var runs = new List<SeedRun>();
        var folders = new Dictionary<int, string>();
        foreach (var (seed, i) in seeds.Select((s, i) => (s, i)))
        {
            progress.Message($"Calibrating {task.Assignment}/{task.Id} at {options.ProfileName}: seed {seed} ({i + 1} of {seeds.Count})");
            try
            {
                var (record, _) = RunnerFor(seed).LoadOrRunWithFolder(task, force);
                runs.Add(new SeedRun(seed, record));
            }
            catch (TrainingDivergedException e)
            {
                progress.Message($"seed {seed} did not converge: {e.Message}");
                runs.Add(new SeedRun(seed, null, "diverged: " + e.Message));
            }
        }
        var set = new SeedSet(options.Profile, runs);
        var first = RunnerFor(seeds[0]);
        var settingsHash = first.SeedlessHash(task);
        var device = first.KeyOf(task).Device;
        var environment = runs.FirstOrDefault(r => r.Record is not null)?.Record!.Environment
                          ?? RunEnvironment.Describe(first.Device, OptionsLoader.FindSettingsFile() is { } f ? Path.GetDirectoryName(f) : null);
        var timing = new CalibrationTiming(DateTimeOffset.UtcNow,
            runs.Where(r => r.Record is not null).ToDictionary(r => Key(r.Seed), r => r.Record!.Timing.WallSeconds),
            runs.Where(r => r.Record is not null).ToDictionary(r => Key(r.Seed), r => CalibrationTiming.TrainingSeconds(r.Record!.Timing)));
        var records = new List<CalibrationRecord>();
        var files = new List<string>();
        foreach (var requirement in task.Requirements.Where(r => r.IsBounded))
        {
            var record = Record(task, requirement, set, settingsHash, device, environment, timing);
            records.Add(record);
            files.Add(Store.Write(record));
        }
        return new CalibrationResult(task, set, records, files);
    }

    private static string Key(int seed) => seed.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The calibration of one thresholded value over the seed set.</summary>
    public static CalibrationRecord Record(TaskDefinition task, Requirement requirement, SeedSet set, string settingsHash, string device,
        EnvironmentInfo environment, CalibrationTiming timing)
    {
        var seeds = set.Runs.Select(r => SeedOf(r, requirement.Value!)).ToList();
        var converged = seeds.Where(s => s.Value is not null).Select(s => s.Value!.Value).ToList();
        return new CalibrationRecord
        {
            Assignment = task.Assignment, Task = task.Id, RequirementId = requirement.Id, Value = requirement.Value!,
            Profile = set.Profile, Device = device, SettingsHash = settingsHash, Seeds = seeds,
            Statistics = converged.Count > 0 ? SeedStatistics.Of(converged, SeedSet.Level) : null,
            Comparison = requirement.Comparison!.Value, Threshold = requirement.Threshold!.For(set.Profile),
            Verdict = requirement.JudgeOverSeeds(set), Environment = environment, Timing = timing,
        };
    }

    private static CalibrationSeed SeedOf(SeedRun run, string value)
    {
        if (run.Record is null) return new CalibrationSeed(run.Seed, "", null, run.Failure ?? run.Unavailable ?? "not run");
        var v = run.Record.Value(value);
        return double.IsFinite(v) ? new CalibrationSeed(run.Seed, run.Record.Key.ConfigHash, v)
            : new CalibrationSeed(run.Seed, run.Record.Key.ConfigHash, null, $"{value} is {v}: did not converge");
    }

    /// <summary>
    /// The latest calibration of this task configuration (the runner's profile, device and settings; the largest seed
    /// list) that covers <paramref name="requirement"/>, its verdict judged again on the seeds' sealed records; null when
    /// there is none. A calibration record that is broken is passed over (the calibrate command reports it).
    /// </summary>
    public static Reporting.CitedCalibration? Cite(ExperimentRunner runner, TaskDefinition task, Requirement requirement)
    {
        var store = new CalibrationStore(runner.Options.OutputDir);
        var device = runner.KeyOf(task).Device;
        foreach (var set in store.Find(task.Assignment, task.Id, runner.Options.Profile, device, runner.SeedlessHash(task)))
            if (set.Records.FirstOrDefault(r => r.RequirementId == requirement.Id) is { } record)
                return new Reporting.CitedCalibration(record, requirement.JudgeOverSeeds(Reload(runner.Store, record)));
        return null;
    }

    /// <summary>
    /// The seed set behind a stored calibration, its records loaded again by their keys (so the verdict is judged anew on
    /// sealed records): a seed whose record is gone or broken is not run, with the reason.
    /// </summary>
    public static SeedSet Reload(RunStore runs, CalibrationRecord calibration) => new(calibration.Profile, calibration.Seeds.Select(s =>
    {
        if (s.ConfigHash.Length == 0) return new SeedRun(s.Seed, null, s.Failure ?? "no record");   // it diverged: there is no record
        var key = new RunKey(calibration.Assignment, calibration.Task, calibration.Profile, s.Seed, calibration.Device, s.ConfigHash);
        try { return runs.TryLoad(key) is { } r ? new SeedRun(s.Seed, r) : new SeedRun(s.Seed, null, Unavailable: $"its record {runs.RunFolder(key)} is gone"); }
        catch (BrokenRecordException e) { return new SeedRun(s.Seed, null, Unavailable: "broken record: " + e.Reason); }
    }).ToList());
}
