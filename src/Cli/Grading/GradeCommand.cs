using System.Diagnostics;
using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Grading;
using Harness.Core.Training;
using Harness.Tasks;

namespace Harness.Cli.Grading;

/// <summary>
/// harness grade: grades students' trained models, a class at a time (<c>--submissions DIR</c>) or, as Gradescope's
/// autograder, the one submission in /autograder/submission (<c>--gradescope</c>).
/// </summary>
public static class GradeCommand
{
    public const string GradescopeSubmission = "/autograder/submission", GradescopeResults = "/autograder/results/results.json";

    public static int Run(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var gradescope = args.Switch("gradescope");
        var assignment = Assignments.Get(args.Value("assignment") ?? throw new UsageException("grade needs --assignment (harness list shows them)"));
        var tasks = args.Values("task");
        var grading = Options(args, options);
        var inProcess = args.Switch("in-process");
        var submissions = args.Value("submissions");
        var submission = args.Value("submission");
        var results = args.Value("results");
        var outDir = args.Value("out");
        var prepare = args.Switch("prepare-data");
        args.EnsureAllRead();
        if (prepare) return PrepareData(assignment, tasks, options, grading, progress);
        if (gradescope)
        {
            if (submissions is not null) throw new UsageException("--gradescope grades one submission: give --submission DIR (default /autograder/submission), not --submissions.");
            return Gradescope(assignment, tasks, options, grading, submission ?? GradescopeSubmission, results ?? GradescopeResults, outDir, inProcess, progress);
        }
        if (submission is not null || results is not null) throw new UsageException("--submission and --results go with --gradescope; to grade a class give --submissions DIR.");
        if (submissions is null) throw new UsageException("grade needs --submissions DIR (one folder per submission, each with a submission.json), or --gradescope.");
        var output = outDir ?? Path.Combine("grades", assignment.Id);
        var batch = new GradingBatch(assignment, tasks, options, grading, output, progress);
        var folders = GradingBatch.Discover(submissions);
        Console.WriteLine($"{assignment.Id}: grading {folders.Count} submission(s) from {Path.GetFullPath(submissions)} — tasks {string.Join(", ", batch.GradedTasks.Select(t => t.Id))}, " +
                          $"{grading.Profile.ToString().ToLowerInvariant()} profile's thresholds, budget {grading.TimeLimitSeconds:0} s and {grading.MemoryLimitBytes >> 20:N0} MiB per submission");
        using var runner = Runner(assignment, options, grading, inProcess, progress);
        var result = batch.Run(folders, runner);
        Report(assignment, result);
        return ExitCodes.Ok;
    }

    /// <summary>Gradescope's autograder: one submission in, /autograder/results/results.json out (paths overridable for tests).</summary>
    private static int Gradescope(IAssignment assignment, IReadOnlyList<string> tasks, HarnessOptions options, GradingOptions grading,
        string submission, string results, string? outDir, bool inProcess, IProgressSink progress)
    {
        if (!Directory.Exists(submission)) throw new HarnessException($"The submission folder {submission} does not exist (Gradescope puts it at {GradescopeSubmission}; give --submission DIR).");
        // A student who zipped the folder rather than its files: Gradescope unpacks it one level down.
        var dirs = Directory.GetDirectories(submission).Where(d => !Path.GetFileName(d).StartsWith('.') && Path.GetFileName(d) != "__MACOSX").ToList();
        if (!File.Exists(Path.Combine(submission, ManifestReader.FileName)) && dirs.Count == 1 && File.Exists(Path.Combine(dirs[0], ManifestReader.FileName)))
            submission = dirs[0];
        var output = outDir ?? Path.Combine(Path.GetTempPath(), $"harness-gradescope-{Environment.ProcessId}");
        var batch = new GradingBatch(assignment, tasks, options, grading with { FeedbackPdfs = outDir is not null && grading.FeedbackPdfs }, output, progress);
        using var runner = Runner(assignment, options, grading, inProcess, progress);
        var result = batch.Run([submission], runner);
        var (grade, _) = result.Submissions.Single();
        var produced = Path.Combine(batch.SubmissionFolder(grade.Submission), GradingBatch.ResultsFile);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
        File.Copy(produced, results, overwrite: true);
        if (outDir is null) Directory.Delete(output, recursive: true);
        Console.WriteLine($"{assignment.Id} {grade.Student}: {Num(grade.Score)} of {Num(grade.MaxScore)} points → {Path.GetFullPath(results)}");
        foreach (var t in grade.Tasks)
            foreach (var r in t.Requirements)
                Console.WriteLine($"  {Commands.Mark(r.Outcome)} {r.Id} [{r.Visibility.Gradescope()}]: {r.Measured} (required {r.Expected})");
        foreach (var p in grade.Problems) Console.WriteLine($"  note: {p}");
        return ExitCodes.Ok;
    }

    /// <summary>--prepare-data: finds (or, when allowed, downloads) and verifies the held-out data sets of the graded tasks (the autograder's setup).</summary>
    private static int PrepareData(IAssignment assignment, IReadOnlyList<string> tasks, HarnessOptions options, GradingOptions grading, IProgressSink progress)
    {
        var graded = new GradingBatch(assignment, tasks, options, grading, Path.GetTempPath(), progress).GradedTasks;
        var sets = new Harness.Core.Data.DataSets(options, progress);
        foreach (var info in graded.Select(t => ((IGradedTask)t).HeldOutData).Distinct())
        {
            var loaded = sets.Load(info);
            Console.WriteLine($"{info.DisplayName}: {loaded.Train.Count:N0} training and {loaded.Test.Count:N0} test images verified ({sets.Locate(info) ?? options.DownloadRoot})");
        }
        return ExitCodes.Ok;
    }

    private static ISubmissionRunner Runner(IAssignment assignment, HarnessOptions options, GradingOptions grading, bool inProcess, IProgressSink progress) =>
        inProcess ? new InProcessRunner(new SubmissionMeasurer(options, grading, assignment, progress))
                  : new WorkerPool(WorkerStartInfo, new WorkerProtocol.Start(assignment.Id, options, grading));

    /// <summary>This CLI again, as <c>harness grade-worker</c> (through dotnet when it was started as <c>dotnet harness.dll</c>).</summary>
    private static ProcessStartInfo WorkerStartInfo()
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(GradeCommand).Assembly.Location);
        psi.ArgumentList.Add("grade-worker");
        return psi;
    }

    /// <summary>harness grade-worker: measures the submissions its grader sends on standard input (see <see cref="WorkerProtocol"/>).</summary>
    public static int Worker(Arguments args)
    {
        args.EnsureAllRead();
        var protocol = Console.Out;
        Console.SetOut(Console.Error);   // only protocol lines on standard output
        return WorkerProtocol.Serve(Console.In, protocol, id => Assignments.Get(id));
    }

    /// <summary>The grading options from the command line; --profile (when given) picks the thresholds, else full.</summary>
    internal static GradingOptions Options(Arguments args, HarnessOptions options)
    {
        var g = new GradingOptions
        {
            Profile = args.Given("profile") ? options.Profile : Profile.Full,
            Reveal = args.Switch("reveal"),
            FeedbackPdfs = !args.Switch("no-pdf"),
        };
        if (Positive(args, "time-limit", 3600 * 24) is { } t) g = g with { TimeLimitSeconds = t };
        if (Positive(args, "memory-limit-mb", 1 << 20) is { } m) g = g with { MemoryLimitBytes = (long)m << 20 };
        if (Positive(args, "max-model-mb", 1 << 20) is { } s) g = g with { MaxModelBytes = (long)s << 20 };
        if (Positive(args, "workers", Math.Max(1, Environment.ProcessorCount)) is { } w) g = g with { Workers = w };
        return g;
    }

    private static int? Positive(Arguments args, string flag, int max)
    {
        var v = args.Int(flag);
        if (v is { } n && (n < 1 || n > max)) throw new UsageException($"--{flag} must be between 1 and {max:N0} (got {n}).");
        return v;
    }

    private static void Report(IAssignment assignment, BatchResult r)
    {
        int graded = r.Submissions.Count(s => s.Outcome == SubmissionOutcome.Graded), kept = r.Submissions.Count - graded;
        var rate = graded > 0 && r.Stats.WallSeconds > 0 ? $" — {(graded / r.Stats.WallSeconds * 60).ToString("0.0", CultureInfo.InvariantCulture)} submissions per minute" : "";
        Console.WriteLine($"{assignment.Id}: {r.Submissions.Count} submission(s): {graded} graded, {kept} kept (unchanged) in {r.Stats.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s{rate}");
        var scores = r.Submissions.Select(s => s.Grade.Score).ToList();
        if (scores.Count > 0)
            Console.WriteLine($"  scores: mean {Num(scores.Average())}, lowest {Num(scores.Min())}, highest {Num(scores.Max())} of {Num(r.Submissions.Max(s => s.Grade.MaxScore))}");
        Console.WriteLine($"  grade book: {r.GradeBookPath}");
        if (r.SummaryPath is not null) Console.WriteLine($"  class summary: {r.SummaryPath}");
        Console.WriteLine($"  per submission: {Path.Combine(r.OutputFolder, "submissions", "<id>")}/ (grade.json, results.json, junit.xml{(r.SummaryPath is null ? "" : ", feedback.pdf")})");
        Console.WriteLine($"  peak memory: worker {r.Stats.PeakWorkerBytes >> 20:N0} MiB, grader {r.Stats.PeakParentBytes >> 20:N0} MiB");
    }

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
