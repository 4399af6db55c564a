using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Core.Training;
using Harness.Tasks;

namespace Harness.Cli;

/// <summary>
/// harness calibrate --assignment X --task T [--seeds K | --seed-list S,…] [--force]: each task on K seeds (ordinary run
/// records, reused and resumed), then a calibration record per thresholded value and every requirement judged over the
/// seeds. Exits 0 when every requirement holds over the seeds, 1 when one does not (<see cref="ExitCodes"/>).
/// </summary>
public static class CalibrateCommand
{
    public const int DefaultSeedCount = 3;

    public static int Run(Arguments args, HarnessOptions options, IProgressSink progress, IReadOnlyList<IAssignment>? catalogue = null)
    {
        catalogue ??= Assignments.All;
        var assignment = Assignments.Get(args.Value("assignment") ?? throw new UsageException("calibrate needs --assignment (harness list shows them)"), catalogue);
        var taskIds = args.Values("task");
        var count = args.Int("seeds");
        var list = args.Values("seed-list");
        var force = args.Switch("force");
        args.EnsureAllRead();
        if (taskIds.Count == 0)
            throw new UsageException($"calibrate needs --task (one or more of {assignment.Id}'s: {string.Join(", ", assignment.Tasks.Select(t => t.Id))}).");
        if (count is not null && list.Count > 0) throw new UsageException("give --seeds K or --seed-list S,S,…, not both.");
        if (count is < 2) throw new UsageException($"--seeds needs at least 2 (a bound over seeds needs two values; got {count}).");
        var seeds = list.Count > 0 ? list.Select(ParseSeed).ToList() : Calibrator.DefaultSeeds(options.Seed, count ?? DefaultSeedCount);
        if (seeds.Count < 2) throw new UsageException("--seed-list needs at least two seeds.");
        if (seeds.Distinct().Count() != seeds.Count) throw new UsageException($"--seed-list names a seed twice ({string.Join(", ", seeds)}).");
        var tasks = taskIds.Select(t => Assignments.GetTask(assignment.Id, t, catalogue)).ToList();

        var calibrator = new Calibrator(options, progress, (a, t) => Assignments.GetTask(a, t, catalogue));
        int failed = 0;
        foreach (var task in tasks)
        {
            Console.WriteLine($"Calibrating {task.Assignment} {task.Id} — {task.Title} ({options.ProfileName}, seeds {string.Join(", ", seeds)})");
            var result = calibrator.Calibrate(task, seeds, force);
            PrintSeeds(result);
            foreach (var req in task.Requirements)
            {
                var v = req.JudgeOverSeeds(result.Set);
                if (v.Outcome != Outcome.Pass) failed++;
                Console.WriteLine($"  {Commands.Mark(v.Outcome)} {req.Id} over {seeds.Count} seeds: {v.Measured} (required {v.Expected})");
                if (req.IsBounded && result.Records.FirstOrDefault(r => r.RequirementId == req.Id) is { Statistics: { } s })
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"       mean {req.Format!.Measured(s.Mean)}, sd {req.Format.Spread(s.StandardDeviation)}, min {req.Format.Measured(s.Min)}, max {req.Format.Measured(s.Max)}, K = {s.Count}"));
                if (v.Outcome != Outcome.Pass && v.Detail.Length > 0) Console.WriteLine($"       {v.Detail}");
            }
            foreach (var file in result.Files) Console.WriteLine($"  calibration: {file}");
        }
        Console.WriteLine(failed == 0 ? "all requirements met over the seeds" : $"{failed} requirement(s) not met over the seeds");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.RequirementsNotMet;
    }

    /// <summary>One line per seed: its thresholded values (with the binomial interval of accuracies) and its times.</summary>
    private static void PrintSeeds(CalibrationResult result)
    {
        var bounded = result.Task.Requirements.Where(r => r.IsBounded).ToList();
        foreach (var run in result.Set.Runs)
        {
            if (run.Record is not { } r) { Console.WriteLine($"  seed {run.Seed}: did not converge — {run.Failure}"); continue; }
            var values = bounded.Select(q =>
            {
                var v = r.Value(q.Value!);
                var ci = q.MeasuredInterval(r) is { } i ? $" [{q.Format!.Measured(i.Low)}, {q.Format.Measured(i.High)}]" : "";
                return $"{q.Value} {q.Format!.Measured(v)}{ci}";
            });
            var train = CalibrationTiming.TrainingSeconds(r.Timing);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  seed {run.Seed}: {string.Join("; ", values)} — wall {r.Timing.WallSeconds:0.0} s{(r.Timing.Resumed ? " after resuming" : "")}{(train > 0 ? $", training {train:0.0} s" : "")} ({r.Key.FolderName})"));
        }
    }

    private static int ParseSeed(string s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new UsageException($"--seed-list needs whole numbers (got '{s}').");
}
