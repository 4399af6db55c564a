using System.Diagnostics;
using System.Text.Json;
using FluentAssertions;
using Harness.Cli;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Spec.Reporting;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec;

/// <summary>
/// Faults a careful user meets — two runs at once, kill -9 mid-training and mid-report, a full disk, a folder that
/// cannot be written, bad arguments — each tried on the real CLI in child processes on small tasks: nothing is lost,
/// nothing mismatched, every error is one line with the path and the fix, and no temporary file is left behind.
/// </summary>
[Property("Area", "Reliability")]
public sealed class ReliabilityTests
{
    private string dir = "";

    [SetUp]
    public void TempDir() => dir = Directory.CreateTempSubdirectory("harness-rel-").FullName;

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    private static string[] Common(string output) => ["--output", output, "--profile", "smoke", "--seed", HarnessTestRun.Options.Seed.ToString()];

    private static void NoStackTrace(string output) => output.Should().NotContain("   at ").And.NotContain("Unhandled exception");

    /// <summary>The harness CLI in a child process with extra environment; returns it (stdout and stderr merged into <paramref name="lines"/>).</summary>
    private static Process Start(List<string> lines, Dictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        p.Start();
        p.BeginOutputReadLine(); p.BeginErrorReadLine();
        return p;
    }

    [Test]
    public void Two_runs_of_the_same_task_at_once_train_it_once_and_both_succeed()
    {
        var a = new List<string>(); var b = new List<string>();
        using var first = Start(a, null, ["run", "--assignment", "hw4", "--task", "2b", .. Common(dir)]);
        Thread.Sleep(300);
        using var second = Start(b, null, ["run", "--assignment", "hw4", "--task", "2b", .. Common(dir)]);
        first.WaitForExit(); second.WaitForExit();
        first.ExitCode.Should().Be(0, string.Join("\n", a));
        second.ExitCode.Should().Be(0, string.Join("\n", b));
        var all = a.Concat(b).ToList();
        all.Count(l => l.StartsWith("Running hw4/2b", StringComparison.Ordinal)).Should().Be(1, "one process trains, the other reuses its record");
        all.Should().Contain(l => l.StartsWith("Reusing hw4/2b", StringComparison.Ordinal));
        var folders = Directory.GetDirectories(Path.Combine(dir, "hw4", "2b"));
        folders.Should().ContainSingle();
        RunStore.Read(Path.Combine(folders[0], RunStore.RecordFile)).Figures.Should().OnlyContain(f => File.Exists(Path.Combine(folders[0], f.SpecFile)));
    }

    [Test]
    public void Killed_mid_training_a_run_resumes_and_gives_the_numbers_of_an_uninterrupted_one_and_force_starts_afresh()
    {
        var clean = Path.Combine(dir, "clean");
        CliProcess.Run(["run", "--assignment", "hw4", "--task", "2b", .. Common(clean)]).ExitCode.Should().Be(0);
        var runs = Path.Combine(dir, "killed");
        var lines = new List<string>();
        using (var p = Start(lines, null, ["run", "--assignment", "hw4", "--task", "2b", .. Common(runs)]))
        {
            // Killed (SIGKILL) once the second epoch is under way, i.e. after the first epoch's checkpoint.
            var sw = Stopwatch.StartNew();
            while (!p.HasExited && sw.Elapsed < TimeSpan.FromMinutes(2) && !lines.ToArray().Any(l => l.Contains("epoch 2/2"))) Thread.Sleep(20);
            p.Kill();
            p.WaitForExit();
        }
        Directory.GetDirectories(Path.Combine(runs, "hw4", "2b")).Should().ContainSingle(d => d.EndsWith(".partial", StringComparison.Ordinal));
        var (code, log) = CliProcess.Run(["run", "--assignment", "hw4", "--task", "2b", .. Common(runs)]);
        code.Should().Be(0, log);
        log.Should().Contain("resuming after epoch 1");
        var resumed = Directory.GetFiles(Path.Combine(runs, "hw4", "2b"), RunStore.RecordFile, SearchOption.AllDirectories).Single();
        var straight = Directory.GetFiles(Path.Combine(clean, "hw4", "2b"), RunStore.RecordFile, SearchOption.AllDirectories).Single();
        CliProcess.WithoutTiming(File.ReadAllText(resumed)).Should().Be(CliProcess.WithoutTiming(File.ReadAllText(straight)));
        JsonDocument.Parse(File.ReadAllText(resumed)).RootElement.GetProperty("timing").GetProperty("resumed").GetBoolean().Should().BeTrue();

        // --force discards checkpoints as well as the record.
        var (forced, forcedLog) = CliProcess.Run(["run", "--assignment", "hw4", "--task", "2b", "--force", .. Common(runs)]);
        forced.Should().Be(0, forcedLog);
        forcedLog.Should().NotContain("resuming");
    }

    [Test]
    public void A_report_killed_while_writing_leaves_the_previous_set_and_its_leftovers_go_at_the_next_report()
    {
        PdfTools.Require();
        var runs = Path.Combine(dir, "runs");
        var pdf = Path.Combine(dir, "out", "hw4.pdf");
        CliProcess.Run(["run", "--assignment", "hw4", "--task", "1a", .. Common(runs)]).ExitCode.Should().Be(0);
        CliProcess.Run(["report", "--assignment", "hw4", "--out", pdf, .. Common(runs)]).ExitCode.Should().Be(0, "the report is written whatever the verdicts");
        var before = File.ReadAllText(Path.Combine(dir, "out", "results.json"));
        CliProcess.Run(["run", "--assignment", "hw4", "--task", "2a", .. Common(runs)]).ExitCode.Should().Be(0);

        var (killed, _) = CliProcess.Run(new Dictionary<string, string> { ["HARNESS_FAULT"] = "report:after-first-file" }, ["report", "--assignment", "hw4", "--out", pdf, .. Common(runs)]);
        killed.Should().Be(137, "SIGKILL");
        File.ReadAllText(Path.Combine(dir, "out", "results.json")).Should().Be(before, "the visible set is still the previous one, whole");
        SameSet(dir, pdf).Should().BeTrue();

        CliProcess.Run(["report", "--assignment", "hw4", "--out", pdf, .. Common(runs)]).ExitCode.Should().Be(0);
        File.ReadAllText(Path.Combine(dir, "out", "results.json")).Should().NotBe(before, "2a's record now counts");
        SameSet(dir, pdf).Should().BeTrue();
        Directory.GetDirectories(Path.Combine(dir, "out", ".hw4.sets")).Should().ContainSingle("the killed run's set is gone");
        Directory.GetFiles(Path.Combine(dir, "out"), "*tmp*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    /// <summary>The PDF's grade-sheet total and results.json's score agree (they come from the same run).</summary>
    private static bool SameSet(string dir, string pdf)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(pdf)!, "results.json")));
        var score = json.RootElement.GetProperty("score").GetDouble();
        var possible = json.RootElement.GetProperty("max_score").GetDouble();
        var text = string.Join(" ", PdfTools.Text(pdf).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Contains($"{score.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} of {possible.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} points");
    }

    [Test]
    public void A_full_disk_while_writing_the_report_keeps_the_previous_set_and_says_so_in_one_line()
    {
        PdfTools.Require();
        var runs = Path.Combine(dir, "runs");
        var pdf = Path.Combine(dir, "out", "hw4.pdf");
        CliProcess.Run(["run", "--assignment", "hw4", "--task", "1a", .. Common(runs)]).ExitCode.Should().Be(0);
        CliProcess.Run(["report", "--assignment", "hw4", "--out", pdf, .. Common(runs)]);
        var before = File.ReadAllBytes(pdf);
        var (code, output) = CliProcess.Run(new Dictionary<string, string> { ["HARNESS_FAULT"] = "report:after-first-file@enospc" }, ["report", "--assignment", "hw4", "--out", pdf, .. Common(runs)]);
        code.Should().Be(ExitCodes.CouldNotRun);
        output.Should().Contain("no space left on the device");
        NoStackTrace(output);
        File.ReadAllBytes(pdf).Should().Equal(before);
        Directory.GetDirectories(Path.Combine(dir, "out", ".hw4.sets")).Should().ContainSingle("the failed set was discarded");
    }

    [Test]
    public void A_folder_that_cannot_be_written_or_an_out_that_names_a_folder_is_one_line_with_the_path_and_the_fix()
    {
        var (code, output) = CliProcess.Run(["run", "--assignment", "hw4", "--task", "1a", .. Common("/sys/harness-cannot-write")]);
        code.Should().Be(ExitCodes.CouldNotRun, output);
        output.Should().Contain("/sys/harness-cannot-write").And.Contain("--output");
        NoStackTrace(output);

        var (usage, usageOutput) = CliProcess.Run(["report", "--assignment", "hw4", "--out", dir, .. Common(Path.Combine(dir, "runs"))]);
        usage.Should().Be(ExitCodes.Usage);
        usageOutput.Should().Contain("names a folder").And.Contain(Path.Combine(dir, "hw4.pdf"));
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Should().BeEmpty("nothing was written");
    }

    [TestCase(",")]
    [TestCase(" ")]
    public void An_empty_task_list_is_refused_instead_of_training_every_task(string tasks)
    {
        var (code, output) = CliProcess.Run(["run", "--assignment", "ex08", "--task", tasks, .. Common(dir)]);
        code.Should().Be(ExitCodes.Usage);
        output.Should().Contain("--task names no task");
        Directory.Exists(Path.Combine(dir, "ex08")).Should().BeFalse();
    }

    [Test]
    public void A_failed_start_leaves_no_empty_partial_folder()
    {
        var (code, output) = CliProcess.Run(["run", "--assignment", "ex08", "--task", "1.1", "--data-root", Path.Combine(dir, "nowhere"), "--no-download", .. Common(dir)]);
        code.Should().Be(ExitCodes.CouldNotRun, output);
        output.Should().Contain("Fashion-MNIST not found");
        NoStackTrace(output);
        Directory.GetDirectories(dir, "*.partial", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [TestCase("{ \"Seed\": { \"value\": 7 } }", "*'Seed'*an object*whole number*")]
    [TestCase("{ \"Seed\": [7] }", "*'Seed'*a list*whole number*")]
    [TestCase("{ \"Seed\": null }", "*'Seed'*null*whole number*")]
    [TestCase("{ \"Threads\": 100000 }", "*'Threads'*100000*between 0 and*cores*")]
    [TestCase("{\n  \"Profile\": \"smoke\",\n  \"Seed\": 7,,\n}", "*line 3, column*")]
    public void Bad_settings_files_are_one_line_naming_the_key_or_the_place(string json, string message)
    {
        var file = Path.Combine(dir, "appsettings.json");
        File.WriteAllText(file, json);
        var act = () => OptionsLoader.Load(settingsFile: file, environment: new Dictionary<string, string?>());
        act.Should().Throw<HarnessConfigurationException>().WithMessage(message);
    }

    [Test]
    public void Threads_beyond_the_limit_from_a_flag_are_refused_at_once()
    {
        var sw = Stopwatch.StartNew();
        var (code, output) = CliProcess.Run("run", "--assignment", "hw4", "--task", "1a", "--threads", "100000", "--output", dir);
        code.Should().Be(ExitCodes.Configuration);
        output.Should().Contain("'Threads'").And.Contain("between 0 and");
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    [Test]
    public void Run_exits_non_zero_when_a_requirement_is_not_met()
    {
        var task = new FailingTask();
        var catalogue = new IAssignment[] { new FakeAssignment(new TaskDefinition[] { task }) };
        var options = new HarnessOptions { OutputDir = dir };
        var code = Commands.Run(new Arguments(["run", "--assignment", "ex99"]), options, Harness.Core.Training.LineProgress.Silent, catalogue);
        code.Should().Be(ExitCodes.RequirementsNotMet);
    }

    private sealed class FailingTask : TaskDefinition<FailingTask.Settings_>
    {
        public sealed record Settings_(int Size);
        public override string Assignment => "ex99";
        public override string Id => "F1";
        public override string Title => "A task whose check fails";
        public override string SeedText => "Fail on purpose.";
        public override Settings_ Settings(Profile profile) => new(1);
        protected override IEnumerable<Requirement> DeclareRequirements() => [Requirement.Holds("ex99.f1.ok", "The check holds.", 1, "ok")];
        protected override void Run(RunContext context, Settings_ settings) => context.Check("ok", false, "it fails on purpose");
    }
}
