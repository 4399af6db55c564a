using System.Text.Json;
using System.Xml.Linq;
using FluentAssertions;
using Harness.Cli;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Spec.Reporting;
using Harness.Tasks;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec;

/// <summary>`harness report` run as a process, on recorded, missing and broken ex08 records.</summary>
[Property("Area", "Cli")]
public sealed class ReportCliTests
{
    string dir = "";

    [SetUp]
    public void TempDir() => dir = PdfTools.TempDir("report-cli-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    static string[] Common(string output) => new[]
    {
        "--output", output, "--profile", HarnessTestRun.Options.ProfileName, "--seed", HarnessTestRun.Options.Seed.ToString(),
    };

    [Test, Property("Assignment", "ex08")]
    public void Report_on_recorded_ex08_results_writes_pdf_junit_and_results_json()
    {
        PdfTools.Require();
        var assignment = Assignments.Get("ex08");
        // The ex08 requirement fixtures record these; here they are reused (or trained once at the smoke profile).
        var records = assignment.Tasks.Select(t => HarnessTestRun.Runner.LoadOrRunWithFolder(t).Record).ToList();
        var pdf = Path.Combine(dir, "out", "ex08.pdf");

        var (code, output) = CliProcess.Run(["report", "--assignment", "ex08", "--out", pdf, .. Common(HarnessTestRun.Runner.Store.Root)]);

        code.Should().Be(0, output);
        output.Should().Contain(pdf).And.Contain(" bytes").And.Contain("rendered in").And.NotContain("not run");
        File.Exists(pdf).Should().BeTrue();
        Directory.GetFiles(Path.GetDirectoryName(pdf)!).Select(Path.GetFileName)
            .Should().BeEquivalentTo("ex08.pdf", "ex08.junit.xml", "results.json");

        var grades = assignment.Tasks.Zip(records).SelectMany(p => p.First.Requirements.Select(r => (Task: p.First, Req: r, Verdict: r.Judge(p.Second)))).ToList();
        var earned = grades.Where(g => g.Verdict.Passed).Sum(g => g.Req.Points);

        var text = Flat(PdfTools.Text(pdf));
        text.Should().Contain("Grade sheet").And.Contain("Exercise sheet 08").And.Contain("Figure 1:")
            .And.Contain("harness run --assignment ex08 --task 1.2");
        foreach (var t in assignment.Tasks) text.Should().Contain($"{t.Id}: {t.Title}");
        foreach (var g in grades) text.Should().Contain(string.Join(" ", Flat(g.Req.Text).Split(' ').Take(3)));
        PdfTools.Fonts(pdf).Should().NotBeEmpty().And.OnlyContain(f => f.Emb == "yes");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "results.json")));
        json.RootElement.GetProperty("score").GetDouble().Should().BeApproximately(earned, 1e-9);
        json.RootElement.GetProperty("max_score").GetDouble().Should().BeApproximately(grades.Sum(g => g.Req.Points), 1e-9);
        json.RootElement.GetProperty("tests").GetArrayLength().Should().Be(grades.Count);

        var junit = XDocument.Load(Path.Combine(dir, "out", "ex08.junit.xml"));
        junit.Descendants("testcase").Should().HaveCount(grades.Count);
        junit.Descendants("failure").Should().HaveCount(grades.Count(g => g.Verdict.Outcome == Outcome.Fail));
        junit.Descendants("skipped").Should().BeEmpty();
    }

    [Test]
    public void Unknown_assignment_is_one_clear_line_and_a_non_zero_exit()
    {
        var (code, output) = CliProcess.Run("report", "--assignment", "nope", "--out", Path.Combine(dir, "x.pdf"));
        code.Should().Be(ExitCodes.CouldNotRun);
        output.Trim().Should().Be($"harness: Unknown assignment 'nope'. Known: {string.Join(", ", Assignments.All.Select(a => a.Id))} (harness list shows them all).");
        File.Exists(Path.Combine(dir, "x.pdf")).Should().BeFalse();
    }

    [Test]
    public void Missing_records_are_not_run_rows_not_a_crash()
    {
        PdfTools.Require();
        var pdf = Path.Combine(dir, "ex08.pdf");
        var (code, output) = CliProcess.Run(["report", "--assignment", "ex08", "--out", pdf, .. Common(Path.Combine(dir, "no-runs"))]);

        code.Should().Be(0, output);
        var requirements = Harness.Tasks.Assignments.Get("ex08").Tasks.Sum(t => t.Requirements.Count);
        output.Should().Contain("ex08 1.1: no record").And.Contain("ex08 1.2: no record").And.Contain("--run-missing");
        var text = Flat(PdfTools.Text(pdf));
        text.Should().Contain("not run").And.Contain($"0 of {requirements} requirements pass").And.Contain("harness run --assignment ex08 --task 1.1");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        json.RootElement.GetProperty("score").GetDouble().Should().Be(0);
        XDocument.Load(Path.Combine(dir, "ex08.junit.xml")).Descendants("skipped").Should().HaveCount(requirements);
    }

    [Test]
    public void A_broken_record_is_a_not_run_row_with_its_reason_and_the_pdf_is_written_whole()
    {
        PdfTools.Require();
        var runs = Path.Combine(dir, "runs");
        var task = Assignments.GetTask("ex08", "1.1");
        var folder = new RunStore(runs).RunFolder(HarnessTestRun.Runner.KeyOf(task));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, RunStore.RecordFile), "{ \"format\": 1, \"key\": { trunc");
        var pdf = Path.Combine(dir, "out", "ex08.pdf");

        var (code, output) = CliProcess.Run(["report", "--assignment", "ex08", "--out", pdf, .. Common(runs)]);

        code.Should().Be(0, output);
        output.Should().Contain("ex08 1.1: reported as not run — broken record").And.Contain("is not a valid run record");
        var text = Flat(PdfTools.Text(pdf));
        text.Should().Contain("broken record").And.Contain("not a valid run record").And.Contain("not run");
        // Written through a temporary file and renamed: nothing else is left beside the outputs.
        Directory.GetFiles(Path.GetDirectoryName(pdf)!).Select(Path.GetFileName)
            .Should().BeEquivalentTo("ex08.pdf", "ex08.junit.xml", "results.json");
    }

    static string Flat(string s) => string.Join(" ", s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
