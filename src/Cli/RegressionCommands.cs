using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Planning;
using Harness.Core.Records;
using Harness.Core.Training;
using Harness.Tasks;

namespace Harness.Cli;

/// <summary>The nightly regression's commands besides `plan`: merging shards, writing baselines, comparing with them.</summary>
public static class RegressionCommands
{
    public const string DefaultBaselines = "tests/Regression/baselines";

    /// <summary>harness merge --from A --from B … --into M: copies verified records; refuses conflicts and broken seals.</summary>
    public static int Merge(Arguments args)
    {
        var from = args.Values("from");
        var into = args.Value("into") ?? throw new UsageException("merge needs --into DIR (the folder the records go into)");
        args.EnsureAllRead();
        if (from.Count == 0) throw new UsageException("merge needs --from DIR (once per shard's record folder)");
        var result = RecordMerge.Merge(from, into);
        if (!result.Ok)
        {
            Console.Error.WriteLine($"harness: nothing merged; {result.Conflicts.Count} problem(s):");
            foreach (var c in result.Conflicts) Console.Error.WriteLine($"  {c}");
            return ExitCodes.CouldNotRun;
        }
        Console.WriteLine($"merged into {Path.GetFullPath(into)}: {result.Copied.Count} record(s) copied, {result.Identical.Count} already there with the same numbers");
        return ExitCodes.Ok;
    }

    /// <summary>harness baseline [--assignment X] [--dir D]: writes D/&lt;assignment&gt;.json from the records present (full profile unless --profile).</summary>
    public static int Baseline(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var only = args.Value("assignment");
        var dir = args.Value("dir") ?? DefaultBaselines;
        args.EnsureAllRead();
        if (!args.Given("profile")) options = options with { Profile = Profile.Full };
        var runner = new ExperimentRunner(options, progress, Assignments.GetTask);
        Directory.CreateDirectory(dir);
        foreach (var a in Assignments.Selected(only))
        {
            var baseline = AssignmentBaseline.From(a, runner, RunEnvironment.GitCommit(Directory.GetCurrentDirectory()));
            if (baseline.Tasks.Count == 0) { Console.WriteLine($"{a.Id}: no {options.ProfileName} records in {runner.Store.Root}; no baseline written"); continue; }
            var file = Path.Combine(dir, AssignmentBaseline.FileName(a.Id));
            RecordJson.WriteAtomic(file, RecordJson.Serialize(baseline));
            Console.WriteLine($"{a.Id}: {baseline.Tasks.Count} task(s), {baseline.Tasks.Sum(t => t.Values.Count)} values → {file}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// harness drift [--assignment X] [--dir D] [--out FILE]: compares the records present with the baselines, as
    /// markdown (appended to FILE, e.g. $GITHUB_STEP_SUMMARY). Exit 1 when a requirement that passed no longer does.
    /// </summary>
    public static int Drift(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var only = args.Value("assignment");
        var dir = args.Value("dir") ?? DefaultBaselines;
        var outPath = args.Value("out");
        args.EnsureAllRead();
        if (!args.Given("profile")) options = options with { Profile = Profile.Full };
        var runner = new ExperimentRunner(options, progress, Assignments.GetTask);
        bool regressed = false;
        foreach (var a in Assignments.Selected(only))
        {
            var file = Path.Combine(dir, AssignmentBaseline.FileName(a.Id));
            if (!File.Exists(file)) { Write($"### {a.Id}: no baseline ({file}); write one with `harness baseline --assignment {a.Id}`\n"); continue; }
            var baseline = RecordJson.Deserialize<AssignmentBaseline>(File.ReadAllText(file));
            var drift = Core.Planning.Drift.Compare(baseline, a, runner);
            regressed |= drift.Regressed;
            Write(drift.Markdown(baseline));
        }
        return regressed ? ExitCodes.RequirementsNotMet : ExitCodes.Ok;

        void Write(string text)
        {
            Console.WriteLine(text);
            if (outPath is not null) File.AppendAllText(outPath, text + "\n");
        }
    }
}
