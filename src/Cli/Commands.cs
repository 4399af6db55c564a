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
    /// <summary>
    /// harness list: every assignment's tasks with their requirements, and for each task whether a record of the current
    /// profile and seed is in the output folder (the one the tests, harness run and harness report share).
    /// </summary>
    public static int List(Arguments args, HarnessOptions options)
    {
        var only = args.Value("assignment");
        var recordsOnly = args.Switch("records-only");
        args.EnsureAllRead();
        var runner = Runner(options, LineProgress.Silent);
        Console.WriteLine($"Records of profile {options.ProfileName}, seed {options.Seed} in {Path.GetFullPath(options.OutputDir)} (✓ recorded, · none; --profile/--seed/--output choose others):");
        foreach (var a in Assignments.Selected(only))
        {
            var recorded = 0;
            var lines = new List<string>();
            foreach (var t in a.Tasks)
            {
                var (mark, state) = RecordState(runner, t);
                if (mark == "✓") recorded++;
                lines.Add($"  {mark} {t.Id,-5} {t.Title} — {state}");
                if (!recordsOnly)
                    foreach (var r in t.Requirements)
                        lines.Add($"          [{r.Points.ToString("0.##", CultureInfo.InvariantCulture)} pt] {r.Id}: {r.Text}");
            }
            Console.WriteLine($"{a.Id}: {a.Title} ({a.Course}) — {recorded} of {a.Tasks.Count} tasks recorded");
            foreach (var l in lines) Console.WriteLine(l);
        }
        return 0;
    }

    /// <summary>Whether the task has a usable record at this profile and seed, and which (or why not).</summary>
    static (string Mark, string State) RecordState(ExperimentRunner runner, TaskDefinition task)
    {
        try
        {
            var key = runner.KeyOf(task);
            if (runner.Store.TryLoad(key) is { } r)
                return ("✓", $"recorded ({key.FolderName}, {r.Timing.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
            return ("·", runner.WhyNoRecord(task) is { } why ? $"no record: {why}" : "no record");
        }
        catch (HarnessException e) { return ("!", "broken record: " + e.Message); }
    }

    public static ExperimentRunner Runner(HarnessOptions options, IProgressSink progress) =>
        new(options, progress, Assignments.GetTask);

    /// <summary>
    /// harness run: trains (or reuses) the tasks and judges their requirements. Exits like a test runner: 0 when every
    /// requirement is met, 1 when one is not (<see cref="ExitCodes"/>).
    /// </summary>
    public static int Run(Arguments args, HarnessOptions options, IProgressSink progress, IReadOnlyList<IAssignment>? catalogue = null)
    {
        catalogue ??= Assignments.All;
        var assignment = Assignments.Get(args.Value("assignment") ?? throw new UsageException("run needs --assignment (harness list shows them)"), catalogue);
        var taskIds = args.Values("task");
        var force = args.Switch("force");
        args.EnsureAllRead();
        if (args.Given("task") && taskIds.Count == 0)
            throw new UsageException($"--task names no task (give ids such as --task 1.2,1.3; {assignment.Id}'s are {string.Join(", ", assignment.Tasks.Select(t => t.Id))}), or leave --task out to run them all.");
        var tasks = taskIds.Count == 0 ? assignment.Tasks : taskIds.Select(t => Assignments.GetTask(assignment.Id, t, catalogue)).ToList();
        var runner = new ExperimentRunner(options, progress, (a, t) => Assignments.GetTask(a, t, catalogue));
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
        return failed == 0 ? ExitCodes.Ok : ExitCodes.RequirementsNotMet;
    }

    /// <summary>
    /// harness report [--assignment X [--task T,…]] [--format pdf|latex] [--out FILE] [--run-missing]: one report per
    /// assignment (default ReportsDir/&lt;id&gt;.pdf, with JUnit XML and a Gradescope results file beside it; as LaTeX
    /// ReportsDir/&lt;id&gt;/report.tex) from the recorded runs of this profile and seed. Tasks without a usable record are
    /// listed and shown as "not run"; with --run-missing they are trained first.
    /// </summary>
    public static int Report(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var only = args.Value("assignment");
        var outPath = args.Value("out");
        var runMissing = args.Switch("run-missing");
        var taskIds = args.Values("task");
        var formats = args.Values("format").Select(f => f.ToLowerInvariant()).ToList();
        args.EnsureAllRead();
        if (formats.Count == 0) formats.Add("pdf");
        if (formats.FirstOrDefault(f => f is not ("pdf" or "latex")) is { } bad)
            throw new UsageException($"--format {bad} is not a report format; give pdf, latex or pdf,latex.");
        var assignments = Assignments.Selected(only);
        if (args.Given("task") && only is null)
            throw new UsageException("--task names tasks of one assignment; give --assignment too (harness list shows them).");
        if (args.Given("task") && taskIds.Count == 0)
            throw new UsageException($"--task names no task (give ids such as --task {string.Join(",", assignments[0].Tasks.Take(2).Select(t => t.Id))}), or leave --task out to report them all.");
        var subset = taskIds.Count == 0 ? null : taskIds.Select(t => Assignments.GetTask(assignments[0].Id, t).Id).Distinct().ToList();
        if (outPath is not null && assignments.Count > 1)
            throw new UsageException("--out names one report; give --assignment too (or leave --out out for one report per assignment).");
        if (outPath is not null && (Directory.Exists(outPath) || outPath.EndsWith('/') || outPath.EndsWith(Path.DirectorySeparatorChar)))
            throw new UsageException($"--out {outPath} names a folder; give the {(formats is ["latex"] ? ".tex" : "PDF's")} file name, e.g. --out {Path.Combine(outPath, formats is ["latex"] ? "report.tex" : (only ?? "report") + ".pdf")}.");

        var runner = Runner(options, progress);
        foreach (var assignment in assignments)
        {
            var tasks = subset is null ? assignment.Tasks : assignment.Tasks.Where(t => subset.Contains(t.Id)).ToList();
            var lookup = new Dictionary<string, (RunRecord Record, string Folder)?>();
            var broken = new Dictionary<string, string>();
            foreach (var task in tasks)
            {
                var key = runner.KeyOf(task);
                try { lookup[task.Id] = runner.Store.TryLoad(key) is { } r ? (r, runner.Store.RunFolder(key)) : null; }
                catch (HarnessException e) { lookup[task.Id] = null; broken[task.Id] = "broken record: " + e.Message; }
                // No record at this key: say so when records of other settings or another environment are in the way.
                if (lookup[task.Id] is null && !broken.ContainsKey(task.Id) && runner.WhyNoRecord(task) is { } why) broken[task.Id] = why;
            }
            var missing = tasks.Where(t => lookup[t.Id] is null).ToList();
            if (missing.Count > 0 && runMissing)
            {
                Console.WriteLine($"{assignment.Id}: training {missing.Count} task(s) without a record ({options.ProfileName}, seed {options.Seed}): {string.Join(", ", missing.Select(t => t.Id))}");
                foreach (var task in missing)
                {
                    lookup[task.Id] = runner.LoadOrRunWithFolder(task);   // a broken or mismatched record is measured again
                    broken.Remove(task.Id);
                }
                missing.Clear();
            }
            foreach (var task in missing)
                Console.WriteLine(broken.TryGetValue(task.Id, out var why)
                    ? $"{assignment.Id} {task.Id}: reported as not run — {why}"
                    : $"{assignment.Id} {task.Id}: no record at {options.ProfileName}, seed {options.Seed}; reported as not run");
            if (missing.Count > 0 && !runMissing)
                Console.WriteLine($"{assignment.Id}: {missing.Count} of {tasks.Count} task(s) not run; add --run-missing to train them first.");

            var name = subset is null ? assignment.Id : $"{assignment.Id}-tasks-{string.Join("-", subset)}";
            var records = lookup.Values.Where(v => v is not null).Select(v => v!.Value.Record).ToList();
            var ctx = new ReportContext(
                options.ProfileName, options.Seed,
                Agreed(records.Select(r => r.Environment.Device)) ?? $"{options.Device.ToString().ToLowerInvariant()} (no recorded run)",
                ProjectRoot() is { } root ? RunEnvironment.GitCommit(root) : Agreed(records.Select(r => r.Environment.GitCommit)),
                Agreed(records.Select(r => r.Environment.TorchSharpVersion)) ?? RunEnvironment.TorchSharpVersion,
                Agreed(records.Select(r => r.Environment.LibTorchVersion)) ?? RunEnvironment.LibTorchVersion,
                DateTimeOffset.UtcNow,
                ResultsFileName: assignments.Count > 1 || subset is not null ? $"{name}.results.json" : "results.json",
                ExtraFlags: options.TrainImagesLimit > 0 ? $"--train-images-limit {options.TrainImagesLimit}" : "",
                SettingsFolder: ProjectRoot()) { Tasks = subset };
            (RunRecord Record, string Folder)? Lookup(TaskDefinition t) => broken.TryGetValue(t.Id, out var why) ? throw new HarnessException(why) : lookup[t.Id];

            if (formats.Contains("pdf"))
            {
                var pdf = Path.GetFullPath(outPath is not null && !formats.Contains("latex") || outPath?.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) == true
                    ? outPath! : Path.Combine(options.ReportsDir, name + ".pdf"));
                var result = AssignmentReport.Write(assignment, Lookup, ctx, pdf, (t, r) => Calibrator.Cite(runner, t, r));
                var passed = result.Grades.Count(g => g.Verdict.Outcome == Outcome.Pass);
                Console.WriteLine($"{assignment.Id}: {result.PdfPath}");
                Console.WriteLine($"  {result.Bytes.ToString("#,0", CultureInfo.InvariantCulture)} bytes, {result.Pages} pages, rendered in {result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s ({result.FontFamily})");
                Console.WriteLine($"  {passed} of {result.Grades.Count} requirements pass; {result.PointsEarned.ToString("0.##", CultureInfo.InvariantCulture)} of {result.PointsPossible.ToString("0.##", CultureInfo.InvariantCulture)} points");
                Console.WriteLine($"  {result.JUnitPath}");
                Console.WriteLine($"  {result.ResultsJsonPath}");
                if (!result.WithinWordLimit) Console.WriteLine($"  warning: {result.WordCount} words, over the limit of {result.WordLimit}");
                foreach (var g in result.Grades.Where(g => g.TaskId == AssignmentReport.ReportTaskId && g.Verdict.Outcome == Outcome.Fail))
                    Console.WriteLine($"  warning: {g.Requirement.Id} fails: {g.Verdict.Detail}");
            }
            if (formats.Contains("latex"))
            {
                var tex = Path.GetFullPath(outPath is not null && outPath.EndsWith(".tex", StringComparison.OrdinalIgnoreCase) ? outPath
                    : outPath is not null ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, name, "report.tex")
                    : Path.Combine(options.ReportsDir, name, "report.tex"));
                var latex = AssignmentReport.WriteLatex(assignment, Lookup, ctx, tex, (t, r) => Calibrator.Cite(runner, t, r));
                Console.WriteLine($"{assignment.Id}: {latex.TexPath}");
                Console.WriteLine($"  {latex.Figures} figures (vector PDF) in {Path.Combine(Path.GetDirectoryName(latex.TexPath)!, "figures")}, {latex.Tables} tables, written in {latex.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
                Console.WriteLine($"  build it: cd {Path.GetDirectoryName(latex.TexPath)} && latexmk   (pdfLaTeX; texlive-latex-recommended, texlive-fonts-recommended, latexmk)");
                if (latex.Unmapped.Count > 0) Console.WriteLine($"  warning: characters with no LaTeX spelling were written as '?': {string.Join(" ", latex.Unmapped)}");
            }
        }
        // An all-assignments report names its results <id>.results.json: a results.json of an earlier single report is not one of them.
        if (assignments.Count > 1 && formats.Contains("pdf")) ReportSet.RemoveStaleResults(options.ReportsDir);
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
