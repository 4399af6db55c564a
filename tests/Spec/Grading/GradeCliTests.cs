using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using FluentAssertions;
using Harness.Core.Grading;
using Harness.Core.Records;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Grading;

/// <summary>
/// `harness grade` as a lecturer runs it, in child processes with worker processes: killed with SIGKILL mid-batch and
/// run again, every finished grade survives and each submission is graded exactly once; Gradescope's autograder mode
/// writes results.json; gradescope-package writes the zip with setup.sh and run_autograder.
/// </summary>
[Property("Area", "Grading")]
public sealed class GradeCliTests
{
    private string dir = "";

    [SetUp]
    public void TempDir() => dir = Directory.CreateTempSubdirectory("harness-gradecli-").FullName;

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    private static readonly string[] SmokeFlags = ["--profile", "smoke", "--seed", HarnessTestRun.Options.Seed.ToString()];

    private static Dictionary<string, DateTimeOffset> Finished(string output) =>
        Directory.Exists(Path.Combine(output, "submissions"))
            ? Directory.GetDirectories(Path.Combine(output, "submissions"))
                .Where(d => File.Exists(Path.Combine(d, GradingBatch.GradeFile)))
                .ToDictionary(d => Path.GetFileName(d), d => RecordJson.Deserialize<SubmissionGrade>(File.ReadAllText(Path.Combine(d, GradingBatch.GradeFile))).GradedUtc)
            : [];

    [Test]
    public void A_batch_killed_mid_way_keeps_every_finished_grade_and_the_rerun_grades_each_of_the_rest_once()
    {
        var subs = Path.Combine(dir, "subs");
        GradingBatchTests.Ex08Class(subs);
        var output = Path.Combine(dir, "grades");
        string[] args = ["grade", "--assignment", "ex08", "--submissions", subs, "--out", output, "--no-pdf", .. SmokeFlags];

        var lines = new List<string>();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        using var p = new Process { StartInfo = psi };
        var third = new ManualResetEventSlim();
        void Line(string? l) { if (l is null) return; lock (lines) lines.Add(l); if (l.Contains("[3/12]")) third.Set(); }
        p.OutputDataReceived += (_, e) => Line(e.Data);
        p.ErrorDataReceived += (_, e) => Line(e.Data);
        p.Start(); p.BeginOutputReadLine(); p.BeginErrorReadLine();
        third.Wait(TimeSpan.FromMinutes(5)).Should().BeTrue(string.Join("\n", lines));
        p.Kill(entireProcessTree: true);   // SIGKILL to the grader and its worker
        p.WaitForExit();

        var before = Finished(output);
        before.Count.Should().BeInRange(3, 11, "it was killed after the third and before the last");
        var (code, text) = CliProcess.Run(args);
        code.Should().Be(0, text);
        text.Should().Contain($"{12 - before.Count} graded, {before.Count} kept");
        var after = Finished(output);
        after.Should().HaveCount(12);
        foreach (var (id, when) in before) after[id].Should().Be(when, $"{id} was finished before the kill and not graded again");
        Directory.GetDirectories(output, "*", SearchOption.AllDirectories).Should().NotContain(d => d.Contains(".staging") && Directory.EnumerateFileSystemEntries(d).Any());
        File.ReadAllLines(Path.Combine(output, GradingBatch.GradeBookFile)).Should().HaveCount(13);
    }

    [Test]
    public void Gradescope_mode_grades_the_one_submission_into_results_json_and_the_package_holds_its_scripts()
    {
        var root = Path.Combine(dir, "autograder");
        var all = Path.Combine(dir, "class");
        GradingBatchTests.Ex08Class(all);
        Directory.CreateDirectory(root);
        Directory.Move(Path.Combine(all, "good-pytorch"), Path.Combine(root, "submission"));
        var results = Path.Combine(root, "results", "results.json");
        var (code, text) = CliProcess.Run(["grade", "--gradescope", "--assignment", "ex08", "--submission", Path.Combine(root, "submission"), "--results", results, .. SmokeFlags]);
        code.Should().Be(0, text);
        var json = JsonNode.Parse(File.ReadAllText(results))!;
        json["score"]!.GetValue<double>().Should().Be(2);
        json["max_score"]!.GetValue<double>().Should().Be(4);
        json["tests"]!.AsArray().Select(t => t!["visibility"]!.GetValue<string>()).Should().Contain("after_published").And.Contain("visible");

        var zip = Path.Combine(dir, "ex08.zip");
        (code, text) = CliProcess.Run(["gradescope-package", "--assignment", "ex08", "--out", zip, "--no-data", .. SmokeFlags]);
        code.Should().Be(0, text);
        using var archive = ZipFile.OpenRead(zip);
        var names = archive.Entries.Select(e => e.FullName).ToList();
        names.Should().Contain(["setup.sh", "run_autograder", "harness/src/Cli/Harness.Cli.csproj", "harness/src/Core/Grading/GradingBatch.cs"]);
        names.Should().NotContain(n => n.Contains("/bin/") || n.Contains("/obj/"));
        using var run = new StreamReader(archive.GetEntry("run_autograder")!.Open());
        run.ReadToEnd().Should().Contain("grade --gradescope --assignment ex08");
        ((archive.GetEntry("setup.sh")!.ExternalAttributes >> 16) & 0b111_111_111).Should().Be(0b111_101_101);
    }
}
