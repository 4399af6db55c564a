using Harness.Core.Configuration;
using Harness.Core.Training;

namespace Harness.Cli;

/// <summary>
/// One command of <c>harness</c>: its name (with a subcommand, "data verify"), the line the overview shows, its own help
/// (<c>harness report --help</c>) and how it runs. A new command is one more entry in <see cref="CommandTable.All"/>.
/// </summary>
/// <param name="Synopsis">the command line with its options, e.g. "report [--assignment X] [--format pdf|latex]"</param>
/// <param name="Options">its options, one "--flag VALUE   what it does" line each</param>
/// <param name="CommonOptions">whether it reads the shared configuration flags (--profile, --seed, …)</param>
/// <param name="Arguments">how many words may follow the name (e.g. the data set of "data fetch stl10")</param>
public sealed record CommandSpec(string Name, string Synopsis, string Summary, string[] Options, bool CommonOptions,
    Func<Arguments, HarnessOptions, IProgressSink, int> Run, int Arguments = 0);

/// <summary>The commands, the overview (<c>harness --help</c>) and each command's help.</summary>
public static class CommandTable
{
    public static readonly IReadOnlyList<CommandSpec> All =
    [
        new("list", "list [--assignment X] [--records-only]", "assignments, tasks and requirements, and which tasks have a record for this profile and seed",
        [
            "--assignment X        only this assignment",
            "--records-only        tasks and their records, without the requirements",
        ], true, (a, o, _) => Commands.List(a, o)),
        new("run", "run --assignment X [--task T[,T…]] [--force]", "train/evaluate tasks and record the results",
        [
            "--assignment X        the assignment (harness list shows them)",
            "--task T[,T…]         only these tasks (default: all of them)",
            "--force               train again even when a matching record exists",
        ], true, (a, o, p) => Commands.Run(a, o, p)),
        new("report", "report [--assignment X [--task T[,T…]]] [--format pdf|latex] [--out FILE] [--run-missing]",
            "write the submission report from the recorded runs",
        [
            "--assignment X        one assignment (default: every assignment, one report each)",
            "--task T[,T…]         a partial report of these tasks only (needs --assignment;",
            "                      written as X-tasks-T….pdf so the full report is not replaced)",
            "--format pdf|latex    pdf (default): reports/X.pdf with X.junit.xml and results.json beside it;",
            "                      latex: reports/X/report.tex, its figures as vector PDF and a latexmkrc",
            "                      (build it with `latexmk` in that folder); pdf,latex writes both",
            "--out FILE            the PDF's path (with --format latex, the .tex file's)",
            "--run-missing         train the tasks without a record first",
        ], true, Commands.Report),
        new("calibrate", "calibrate --assignment X --task T[,T…] [--seeds K | --seed-list S,S…] [--force]",
            "run tasks on K seeds and record, per thresholded value, its mean, sd, range and 95% bound; judged over the seeds",
        [
            "--assignment X        the assignment",
            "--task T[,T…]         the tasks to calibrate",
            "--seeds K             the configured seed, then 1, 2, … (default 3 seeds)",
            "--seed-list S,S…      these seeds instead",
            "--force               train the seeds' runs again",
        ], true, (a, o, p) => CalibrateCommand.Run(a, o, p)),
        new("grade", "grade --assignment X --submissions DIR [--out DIR] [--task T[,T…]] | grade --gradescope --assignment X",
            "grade students' trained models against the tasks' requirements (full-profile thresholds unless --profile)",
        [
            "--assignment X        the assignment",
            "--submissions DIR     one folder per submission (submission.json + model files)",
            "--out DIR             gradebook.csv, summary.pdf and per submission results.json, junit.xml,",
            "                      feedback.pdf (default grades/X)",
            "--task T[,T…]         only these tasks",
            "--time-limit S  --memory-limit-mb M  --max-model-mb M  --workers N  --reveal  --no-pdf",
            "--gradescope          Gradescope autograder: /autograder/submission → /autograder/results/results.json",
            "                      (--submission DIR, --results FILE override them)",
        ], true, (a, o, p) => Grading.GradeCommand.Run(a, o, p)),
        new("grade-worker", "grade-worker", "internal: measures the submissions `harness grade` sends it on standard input", [], false,
            (a, _, _) => Grading.GradeCommand.Worker(a)),
        new("gradescope-package", "gradescope-package --assignment X [--out FILE] [--no-data]",
            "the autograder zip for Gradescope (setup.sh, run_autograder, the harness's source, the data)",
        [
            "--assignment X        the assignment",
            "--out FILE            the zip (default gradescope-X.zip)",
            "--no-data             leave the held-out data sets out of the zip",
        ], true, (a, o, p) => Grading.GradescopePackageCommand.Run(a, o, p)),
        new("plan", "plan [--assignment X] [--measure] [--shards N [--json]] [--slurm [--out FILE]]",
            "what a regression run would do here: records present and missing, each missing run's estimate, shards balanced by it",
        [
            "--assignment X        only this assignment (default: all)",
            "--measure             run the smoke profile of tasks with no earlier run on this device, to measure them",
            "--shards N            split the missing runs into N shards (dependencies kept together)",
            "--json                print the shards as a GitHub Actions matrix ({\"include\":[…]})",
            "--slurm               print (or --out FILE) an sbatch job array, one dependency group per index",
            "                      (the profile is full unless --profile says otherwise)",
        ], true, PlanCommand.Run),
        new("merge", "merge --from DIR [--from DIR …] --into DIR", "merge shards' record folders (every record verified; conflicts refused, nothing copied)",
        [
            "--from DIR            a shard's record folder (repeatable)",
            "--into DIR            the folder the records go into",
        ], false, (a, _, _) => RegressionCommands.Merge(a)),
        new("baseline", "baseline [--assignment X] [--dir D]", "golden numbers of every judged value from the records present (full profile)",
        [
            "--assignment X        only this assignment (default: all with records)",
            "--dir D               where the baselines go (default tests/Regression/baselines)",
        ], true, RegressionCommands.Baseline),
        new("drift", "drift [--assignment X] [--dir D] [--out FILE]", "compare the records present with the baselines, as markdown (exit 1 when a passing requirement no longer passes)",
        [
            "--assignment X        only this assignment",
            "--dir D               the baselines (default tests/Regression/baselines)",
            "--out FILE            also append the markdown to FILE (e.g. $GITHUB_STEP_SUMMARY)",
        ], true, RegressionCommands.Drift),
        new("data fetch", "data fetch stl10 [--to DIR] [--url URL]",
            "download STL-10's binary release (progress, resume), keep its four labelled files, checked by size and MD5",
        [
            "stl10                 the data set (MNIST and Fashion-MNIST are downloaded when a task first needs them)",
            "--to DIR              where stl10/ goes (default: the download root)",
            "--url URL             another mirror of stl10_binary.tar.gz",
        ], true, DataFetchCommand.Run, Arguments: 1),
        new("data verify", "data verify", "checksum every data set the harness can find", [], true, Commands.VerifyData),
        new("bench", "bench [--workload W] [--processes N] [--pytorch] [--eval-batches B,B…] [--no-loop]",
            "training/inference throughput; the harness's training loop against a bare TorchSharp loop",
        [
            "--batches N --batch-size B   what the throughput measurement times (default 100 batches of 64)",
            "--workload W          ex08-1.2 (default), hw4-2b or cm500335-4.1: the loop comparison's task",
            "--repeats N           interleaved harness/bare pairs (default 3)",
            "--train N --epochs N  override the workload's training images and epochs",
            "--processes N         N pairs of whole processes (harness run against harness-bare)",
            "--pytorch             the same workload through python3-torch",
            "--eval-batches B,B…   evaluation images/s per batch size",
            "--no-loop             skip the loop comparison",
        ], true, BenchCommand.Run),
    ];

    public const string CommonOptionsHelp = """
        common options (override appsettings.json and HARNESS__* environment variables):
          --profile smoke|full   --seed N   --device auto|cpu|cuda   --threads N
          --train-images-limit N (caps the training images of GPU-sized tasks: cm500335 6.1, 6.2)
          --epochs-limit N (caps every training's epochs: a trial of a profile's code path, never a run of it)
          --data-root DIR (repeatable, searched in order)   --output DIR (records)   --no-download
        """;

    /// <summary>The command a command line names: the longest name that its first words spell.</summary>
    public static CommandSpec? Find(IReadOnlyList<string> words) =>
        All.Where(c => c.Name.Split(' ') is var parts && parts.Length <= words.Count && parts.SequenceEqual(words.Take(parts.Length)))
           .MaxBy(c => c.Name.Length);

    /// <summary>The commands under a group word ("data" → "data verify").</summary>
    public static IReadOnlyList<CommandSpec> Group(string word) => All.Where(c => c.Name.StartsWith(word + " ", StringComparison.Ordinal)).ToList();

    public static string Overview()
    {
        var lines = new List<string>
        {
            "harness — reproducible grading harness for deep-learning coursework",
            "",
            "usage: harness <command> [options]      harness <command> --help shows a command's options",
            "       harness --version                harness, TorchSharp and libtorch versions and the device",
            "",
            "commands:",
        };
        var width = All.Max(c => c.Name.Length) + 2;
        lines.AddRange(All.Select(c => $"  {c.Name.PadRight(width)}{c.Summary}"));
        lines.Add("");
        lines.Add(CommonOptionsHelp.TrimEnd());
        return string.Join("\n", lines);
    }

    public static string Help(CommandSpec c)
    {
        var lines = new List<string> { $"usage: harness {c.Synopsis}", "", c.Summary + "." };
        if (c.Options.Length > 0) { lines.Add(""); lines.Add("options:"); lines.AddRange(c.Options.Select(o => "  " + o)); }
        if (c.CommonOptions) { lines.Add(""); lines.Add(CommonOptionsHelp.TrimEnd()); }
        return string.Join("\n", lines);
    }

    /// <summary>What a group word alone shows: its subcommands.</summary>
    public static string GroupHelp(string word)
    {
        var width = Group(word).Max(c => c.Name.Length) + 2;
        return string.Join("\n", new[] { $"usage: harness {word} <subcommand>", "", "subcommands:" }
            .Concat(Group(word).Select(c => $"  {c.Name.PadRight(width)}{c.Summary}")));
    }
}
