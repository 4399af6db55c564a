using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Training;

namespace Harness.Core.Planning;

/// <summary>
/// Estimates what a run costs on this device before starting it: nothing when its record is there; else the wall time
/// of an earlier run of the task on the same device (same processor or GPU model), scaled by the ratio of the two
/// runs' work volumes (<see cref="TaskDefinition.Work"/>) — a smoke run measures the rate, the full run's size does
/// the rest. A smoke run includes fixed costs (data loading, process start) that do not grow, so a scaled estimate
/// errs long, which is the safe side for a budget.
/// </summary>
public sealed class RunPlanner(ExperimentRunner runner, Func<string, string, TaskDefinition> resolve)
{
    private readonly Dictionary<(Profile, int), ExperimentRunner> _runners = new();

    public HarnessOptions Options => runner.Options;

    public RunEstimate Estimate(TaskDefinition task)
    {
        var key = runner.KeyOf(task);
        try
        {
            if (runner.Store.TryLoad(key) is not null)
                return new RunEstimate(key, EstimateBasis.Present, 0, "recorded", task.DependsOn);
        }
        catch (BrokenRecordException e) { return Missing(task, key, $" (the record there is broken: {e.Reason})"); }
        return Missing(task, key, "");
    }

    private RunEstimate Missing(TaskDefinition task, RunKey key, string note)
    {
        var work = task.Work(Options);
        var deviceName = RunEnvironment.Describe(runner.Device, projectRoot: null).DeviceName;
        var earlier = EarlierRuns(task, key)
            .Where(r => r.Record.Environment.DeviceName == deviceName && !r.Record.Timing.Resumed && r.Record.Timing.WallSeconds > 0)
            .OrderBy(r => r.Record.Key.Profile == key.Profile ? 0 : 1)
            .ThenByDescending(r => r.Record.Timing.FinishedUtc)
            .ToList();
        foreach (var (record, earlierWork, approximate) in earlier)
        {
            var wall = record.Timing.WallSeconds;
            var capped = record.Provenance?.GetValueOrDefault(RunRecord.EpochsLimitKey) is { } cap ? $" (a trial with epochs capped at {cap})" : "";
            var when = $"the {record.Key.ProfileName} run of {record.Timing.FinishedUtc:yyyy-MM-dd}{capped}{(approximate ? " (at earlier settings, so roughly)" : "")}";
            if (work is > 0 && earlierWork is > 0)
            {
                var same = Math.Abs(work.Value - earlierWork.Value) < 1e-9 * work.Value;
                return same
                    ? new RunEstimate(key, EstimateBasis.EarlierRun, wall, $"{when} took {RunEstimate.Duration(wall)}{note}", task.DependsOn)
                    : new RunEstimate(key, EstimateBasis.Scaled, wall * work.Value / earlierWork.Value,
                        $"{when} took {RunEstimate.Duration(wall)} for {earlierWork:N0} image passes; this run is {work:N0}{note}", task.DependsOn);
            }
            if (record.Key.Profile == key.Profile)
                return new RunEstimate(key, EstimateBasis.EarlierRun, wall, $"{when} (other settings) took {RunEstimate.Duration(wall)}{note}", task.DependsOn);
        }
        return new RunEstimate(key, EstimateBasis.Unknown, null,
            $"no earlier run of this task on {deviceName}; `harness plan --measure` runs its smoke profile to measure the rate{note}", task.DependsOn);
    }

    /// <summary>
    /// This task's completed records (any profile, seed or settings) with their work volumes: recorded in the record,
    /// or — for records older than that field — the task's size at that profile and seed today (exact when the record's
    /// key is today's, an approximation when its settings have changed since).
    /// </summary>
    private IEnumerable<(TimedRun Record, double? Work, bool Approximate)> EarlierRuns(TaskDefinition task, RunKey key)
    {
        foreach (var file in runner.Store.RecordFiles(key.Assignment, key.Task))
        {
            // Only the key, clocks and device are read: a record of an older format still measures this device's speed.
            TimedRun r;
            try { r = RecordJson.Deserialize<TimedRun>(File.ReadAllText(file)); }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidOperationException or NotSupportedException) { continue; }
            if (r.Key is null || r.Environment is null || r.Timing is null) continue;
            var work = r.Timing.Work;
            var approximate = false;
            if (work is null)
            {
                var then = RunnerFor(r.Key.Profile, r.Key.Seed);
                work = task.Work(then.Options);
                approximate = then.KeyOf(task) != r.Key;
            }
            yield return (r, work, approximate);
        }
    }

    private ExperimentRunner RunnerFor(Profile profile, int seed)
    {
        if (profile == Options.Profile && seed == Options.Seed) return runner;
        if (!_runners.TryGetValue((profile, seed), out var r))
            _runners[(profile, seed)] = r = new ExperimentRunner(Options with { Profile = profile, Seed = seed }, LineProgress.Silent, resolve);
        return r;
    }

    /// <summary>
    /// Runs the smoke profile of a task whose estimate is unknown, so that its rate is measured on this device (its
    /// smoke record then serves as the basis); dependencies run first as always.
    /// </summary>
    public RunEstimate Measure(TaskDefinition task, IProgressSink progress)
    {
        var smoke = new ExperimentRunner(Options with { Profile = Profile.Smoke }, progress, resolve);
        smoke.LoadOrRun(task);
        return Estimate(task);
    }

    /// <summary>
    /// The estimate of a task plus its missing dependencies (each counted once, transitively): what starting it costs.
    /// Null when any part is unknown.
    /// </summary>
    public double? WithDependencies(TaskDefinition task, IDictionary<string, RunEstimate>? known = null)
    {
        known ??= new Dictionary<string, RunEstimate>();
        var seen = new HashSet<string>();
        double total = 0;
        bool unknown = false;
        void Visit(TaskDefinition t)
        {
            var id = $"{t.Assignment}/{t.Id}";
            if (!seen.Add(id)) return;
            if (!known.TryGetValue(id, out var e)) known[id] = e = Estimate(t);
            if (e.Seconds is { } s) total += s; else unknown = true;
            if (!e.Present) foreach (var d in t.DependsOn) Visit(resolve(t.Assignment, d));
        }
        Visit(task);
        return unknown ? null : total;
    }
}

/// <summary>The parts of a record.json an estimate reads.</summary>
internal sealed record TimedRun(RunKey Key, EnvironmentInfo Environment, TimingInfo Timing, IReadOnlyDictionary<string, string>? Provenance = null);
