using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Reporting;
using Harness.Core.Requirements;
using Harness.Core.Training;
using Harness.Tasks;

namespace Harness.Cli;

/// <summary>The CLI's commands; each returns the process exit code.</summary>
public static class Commands
{
    public static int List(Arguments args)
    {
        var only = args.Value("assignment");
        args.EnsureAllRead();
        foreach (var a in only is null ? Assignments.All : new[] { Assignments.Get(only) })
        {
            Console.WriteLine($"{a.Id}: {a.Title} ({a.Course})");
            foreach (var t in a.Tasks)
            {
                Console.WriteLine($"  {t.Id,-5} {t.Title}");
                foreach (var r in t.Requirements)
                    Console.WriteLine($"        [{r.Points.ToString("0.##", CultureInfo.InvariantCulture)} pt] {r.Id}: {r.Text}");
            }
        }
        return 0;
    }

    public static ExperimentRunner Runner(HarnessOptions options, IProgressSink progress) =>
        new(options, progress, Assignments.GetTask);

    public static int Run(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var assignment = Assignments.Get(args.Value("assignment") ?? throw new UsageException("run needs --assignment (harness list shows them)"));
        var taskIds = args.Values("task");
        var force = args.Switch("force");
        args.EnsureAllRead();
        var tasks = taskIds.Count == 0 ? assignment.Tasks : taskIds.Select(t => Assignments.GetTask(assignment.Id, t)).ToList();
        var runner = Runner(options, progress);
        int failed = 0;
        foreach (var task in tasks)
        {
            var record = runner.LoadOrRun(task, force);
            Console.WriteLine($"{task.Assignment} {task.Id} — {task.Title} ({record.Key.ProfileName}, seed {record.Key.Seed}, {record.Timing.WallSeconds:0.0}s{(record.Timing.Resumed ? " after resuming" : "")})");
            foreach (var req in task.Requirements)
            {
                var v = req.Judge(record);
                if (v.Outcome != Outcome.Pass) failed++;
                Console.WriteLine($"  {Mark(v.Outcome)} {req.Id}: {v.Measured} (required {v.Expected}){(v.Outcome == Outcome.Error ? " — " + v.Detail : "")}");
            }
            Console.WriteLine($"  record: {runner.Store.RunFolder(record.Key)}");
        }
        Console.WriteLine(failed == 0 ? "all requirements met" : $"{failed} requirement(s) not met");
        Console.WriteLine($"peak working set: {BenchCommand.PeakMiB():0} MiB");
        return 0;
    }

    /// <summary>
    /// harness report [--assignment X] [--out FILE] [--run-missing]: one PDF per assignment (default
    /// ReportsDir/&lt;id&gt;.pdf) from the recorded runs of this profile and seed, with JUnit XML and a Gradescope
    /// results file beside it. Tasks without a usable record are listed and shown as "not run"; with
    /// --run-missing they are trained first.
    /// </summary>
    public static int Report(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var only = args.Value("assignment");
        var outPath = args.Value("out");
        var runMissing = args.Switch("run-missing");
        args.EnsureAllRead();
        var assignments = only is null ? Assignments.All : new[] { Assignments.Get(only) };
        if (outPath is not null && assignments.Count > 1)
            throw new UsageException("--out names one PDF; give --assignment too (or leave --out out for one PDF per assignment).");

        var runner = Runner(options, progress);
        foreach (var assignment in assignments)
        {
            var lookup = new Dictionary<string, (RunRecord Record, string Folder)?>();
            var broken = new Dictionary<string, string>();
            foreach (var task in assignment.Tasks)
            {
                var key = runner.KeyOf(task);
                try { lookup[task.Id] = runner.Store.TryLoad(key) is { } r ? (r, runner.Store.RunFolder(key)) : null; }
                catch (HarnessException e) { lookup[task.Id] = null; broken[task.Id] = e.Message; }
            }
            var missing = assignment.Tasks.Where(t => lookup[t.Id] is null).ToList();
            if (missing.Count > 0 && runMissing)
            {
                Console.WriteLine($"{assignment.Id}: training {missing.Count} task(s) without a record ({options.ProfileName}, seed {options.Seed}): {string.Join(", ", missing.Select(t => t.Id))}");
                foreach (var task in missing)
                {
                    lookup[task.Id] = runner.LoadOrRunWithFolder(task, force: broken.ContainsKey(task.Id));
                    broken.Remove(task.Id);
                }
                missing.Clear();
            }
            foreach (var task in missing)
                Console.WriteLine(broken.TryGetValue(task.Id, out var why)
                    ? $"{assignment.Id} {task.Id}: broken record, reported as not run — {why}"
                    : $"{assignment.Id} {task.Id}: no record at {options.ProfileName}, seed {options.Seed}; reported as not run");
            if (missing.Count > 0 && !runMissing)
                Console.WriteLine($"{assignment.Id}: {missing.Count} of {assignment.Tasks.Count} task(s) not run; add --run-missing to train them first.");

            var records = lookup.Values.Where(v => v is not null).Select(v => v!.Value.Record).ToList();
            var ctx = new ReportContext(
                options.ProfileName, options.Seed,
                Agreed(records.Select(r => r.Environment.Device)) ?? $"{options.Device.ToString().ToLowerInvariant()} (no recorded run)",
                ProjectRoot() is { } root ? RunEnvironment.GitCommit(root) : Agreed(records.Select(r => r.Environment.GitCommit)),
                Agreed(records.Select(r => r.Environment.TorchSharpVersion)) ?? RunEnvironment.TorchSharpVersion,
                Agreed(records.Select(r => r.Environment.LibTorchVersion)) ?? RunEnvironment.LibTorchVersion,
                DateTimeOffset.UtcNow,
                ResultsFileName: assignments.Count > 1 ? $"{assignment.Id}.results.json" : "results.json",
                ExtraFlags: options.TrainImagesLimit > 0 ? $"--train-images-limit {options.TrainImagesLimit}" : "",
                SettingsFolder: ProjectRoot());
            var pdf = Path.GetFullPath(outPath ?? Path.Combine(options.ReportsDir, assignment.Id + ".pdf"));
            var result = AssignmentReport.Write(assignment, t => broken.TryGetValue(t.Id, out var why)
                ? throw new HarnessException(why) : lookup[t.Id], ctx, pdf);

            var passed = result.Grades.Count(g => g.Verdict.Outcome == Outcome.Pass);
            Console.WriteLine($"{assignment.Id}: {result.PdfPath}");
            Console.WriteLine($"  {result.Bytes.ToString("#,0", CultureInfo.InvariantCulture)} bytes, {result.Pages} pages, rendered in {result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s ({result.FontFamily})");
            Console.WriteLine($"  {passed} of {result.Grades.Count} requirements pass; {result.PointsEarned.ToString("0.##", CultureInfo.InvariantCulture)} of {result.PointsPossible.ToString("0.##", CultureInfo.InvariantCulture)} points");
            Console.WriteLine($"  {result.JUnitPath}");
            Console.WriteLine($"  {result.ResultsJsonPath}");
            if (!result.WithinWordLimit) Console.WriteLine($"  warning: {result.WordCount} words, over the limit of {result.WordLimit}");
        }
        return 0;
    }

    /// <summary>The value every record agrees on, or null when there are none or they differ.</summary>
    private static string? Agreed(IEnumerable<string?> values)
    {
        var distinct = values.Where(v => !string.IsNullOrEmpty(v)).Distinct().ToList();
        return distinct.Count == 1 ? distinct[0] : null;
    }

    private static string? ProjectRoot() =>
        OptionsLoader.FindSettingsFile() is { } f ? Path.GetDirectoryName(f) : null;

    public static int VerifyData(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        args.EnsureAllRead();
        int bad = 0;
        foreach (var (set, file, path, status) in new DataSets(options, progress).Verify())
        {
            if (!status.StartsWith("ok", StringComparison.Ordinal)) bad++;
            Console.WriteLine($"{set.DisplayName,-14} {file.Name,-26} {path ?? "-"}: {status}");
        }
        Console.WriteLine(bad == 0 ? "all data files verified" : $"{bad} file(s) missing or failed verification");
        return bad == 0 ? 0 : 1;
    }

    public static string Mark(Outcome o) => o switch { Outcome.Pass => "PASS", Outcome.Fail => "FAIL", Outcome.NotRun => "----", _ => "ERR " };
}
