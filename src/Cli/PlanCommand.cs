using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Planning;
using Harness.Core.Training;
using Harness.Tasks;

namespace Harness.Cli;

/// <summary>
/// harness plan [--assignment X] [--measure] [--shards N [--json]] [--slurm [--out FILE]]: what a regression run
/// would do on this device (records present and missing, each missing one's estimate), split into shards balanced by
/// estimated time — as text, as a GitHub Actions matrix, or as a Slurm job array. The profile is full unless
/// --profile says otherwise.
/// </summary>
public static class PlanCommand
{
    /// <summary>An unknown task counts this long when balancing shards (it is usually a new task, rarely a small one).</summary>
    private const double UnknownSeconds = 3600;

    public static int Run(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var only = args.Value("assignment");
        var measure = args.Switch("measure");
        var shards = args.Int("shards");
        var json = args.Switch("json");
        var slurm = args.Switch("slurm");
        var outPath = args.Value("out");
        args.EnsureAllRead();
        if (shards is < 1) throw new UsageException("--shards needs at least 1.");
        if (json && shards is null) throw new UsageException("--json prints the shard matrix: give --shards N too.");
        if (!args.Given("profile")) options = options with { Profile = Profile.Full };

        var runner = new ExperimentRunner(options, progress, Assignments.GetTask);
        var planner = new RunPlanner(runner, Assignments.GetTask);
        var tasks = Assignments.Selected(only).SelectMany(a => a.Tasks).ToList();
        var estimates = new List<RunEstimate>();
        foreach (var task in tasks)
        {
            var e = planner.Estimate(task);
            if (measure && e.Basis == EstimateBasis.Unknown) e = planner.Measure(task, progress);
            estimates.Add(e);
        }

        var missing = estimates.Where(e => !e.Present).ToList();
        var split = ShardPlanner.Plan(missing.Count > 0 ? missing : estimates, slurm ? int.MaxValue : shards ?? 1, UnknownSeconds);
        if (json) { Console.WriteLine(ShardPlanner.MatrixJson(split)); return ExitCodes.Ok; }
        if (slurm)
        {
            var script = ShardPlanner.SlurmScript(split, Path.GetFullPath(options.OutputDir));
            if (outPath is null) Console.Write(script);
            else { File.WriteAllText(outPath, script); Console.WriteLine($"wrote {outPath} ({split.Count} array jobs); submit it with: sbatch {outPath}"); }
            return ExitCodes.Ok;
        }

        Console.WriteLine($"{options.ProfileName} profile, seed {options.Seed}, records in {runner.Store.Root}, device {RunEnvironment.DeviceName(runner.Device)}");
        Console.WriteLine(PlanText.Table(estimates, options));
        if (shards is not null)
            foreach (var s in split)
                Console.WriteLine($"shard {s.Index}: {RunEstimate.Duration(s.Seconds)}{(s.UnknownTasks > 0 ? $" + {s.UnknownTasks} unknown" : "")} — {s.TaskList}\n  dotnet test tests/Regression --filter \"{s.Filter}\"");
        return ExitCodes.Ok;
    }
}
