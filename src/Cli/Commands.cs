using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Experiments;
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
            Console.WriteLine($"{task.Assignment} {task.Id} — {task.Title} ({record.Key.Profile}, seed {record.Key.Seed}, {record.Timing.WallSeconds:0.0}s)");
            foreach (var req in task.Requirements)
            {
                var v = req.Judge(record);
                if (v.Outcome != Outcome.Pass) failed++;
                Console.WriteLine($"  {Mark(v.Outcome)} {req.Id}: {v.Measured} (required {v.Expected}){(v.Outcome == Outcome.Error ? " — " + v.Detail : "")}");
            }
            Console.WriteLine($"  record: {runner.Store.RunFolder(record.Key)}");
        }
        Console.WriteLine(failed == 0 ? "all requirements met" : $"{failed} requirement(s) not met");
        return 0;
    }

    public static int Report(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        _ = args; _ = options; _ = progress;
        throw new HarnessException("the report engine is not part of this build yet");
    }

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
