using System.Text.Json;
using System.Xml.Linq;
using FluentAssertions;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Reporting;
using Harness.Core.Requirements;
using NUnit.Framework;

namespace Harness.Spec.Reporting;

[TestFixture, Property("Area", "Reporting")]
public class AssignmentReportSpec
{
    static readonly ReportContext Ctx = new("smoke", 42, "cpu", "0123456789abcdef", "0.107.0", "2.10.0",
        new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), "harness");

    string dir = "";
    FakeAssignment assignment = null!;
    RunRecord record = null!;
    ReportResult result = null!;

    [OneTimeSetUp]
    public void Build()
    {
        dir = PdfTools.TempDir("report");
        var runFolder = Path.Combine(dir, "runs", "t1");
        var figures = SampleData.WriteFigures(runFolder);
        var t1 = new FakeTask("ex99", "T1", "Train a small network", new[]
        {
            Requirement.AtLeast("acc", "Test accuracy", 3, "test_accuracy", new Threshold(0.9, 0.8), ValueFormat.Percent),
            Requirement.AtMost("loss", "Final loss", 2, "final_loss", new Threshold(0.1, 0.2), ValueFormat.Decimal(4)),
            Requirement.Exactly("params", "The number of parameters", 1, "parameters", 54410),
            Requirement.Holds("curve", "The learning curve is recorded", 1, "curve_recorded_missing"),
        });
        var t2 = new FakeTask("ex99", "T2", "A task that was not run", new[] { Requirement.Holds("ran", "It ran", 2, "ran") });
        var t3 = new FakeTask("ex99", "T3", "A task with a broken record", new[] { Requirement.Holds("ok", "It is fine", 1, "ok") });
        assignment = new FakeAssignment(new TaskDefinition[] { t1, t2, t3 });
        record = SampleData.Record("ex99", "T1", new Dictionary<string, double>
            { ["test_accuracy"] = 0.85, ["final_loss"] = 0.35, ["parameters"] = 54410 }, figures);

        result = AssignmentReport.Write(assignment, t => t.Id switch
        {
            "T1" => (record, runFolder),
            "T2" => null,
            _ => throw new BrokenRecordException("record.json of T3", "not valid JSON"),
        }, Ctx, Path.Combine(dir, "ex99-report.pdf"));
        TestContext.Out.WriteLine($"report: {result.PdfPath}, {result.Pages} pages, {result.Bytes} bytes, {result.Elapsed.TotalMilliseconds:0} ms");
    }

    [Test]
    public void The_grade_sheet_is_what_Requirement_Judge_says()
    {
        var t1 = assignment.Tasks[0];
        result.Grades.Where(g => g.TaskId == "T1").Select(g => g.Verdict)
            .Should().Equal(t1.Requirements.Select(r => r.Judge(record)));
        result.Grades.Select(g => g.Verdict.Outcome).Should().Equal(
            Outcome.Pass, Outcome.Fail, Outcome.Pass, Outcome.Error, Outcome.NotRun, Outcome.NotRun, Outcome.Pass);
        result.PointsEarned.Should().Be(3 + 1 + 1);
        result.PointsPossible.Should().Be(3 + 2 + 1 + 1 + 2 + 1 + 1);
    }

    [Test]
    public void The_word_limit_is_a_graded_requirement_with_the_measured_count()
    {
        var row = result.Grades.Single(g => g.TaskId == AssignmentReport.ReportTaskId);
        row.Verdict.Outcome.Should().Be(Outcome.Pass);
        row.Verdict.Measured.Should().Be(result.WordCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        row.Verdict.Expected.Should().Be("≤ 500");

        // The same records under a limit the main part cannot meet: the row fails, and nothing else changes.
        var strict = new FakeAssignment(assignment.Tasks, new ReportStyle(WordLimit: 10));
        var over = AssignmentReport.Write(strict, t => t.Id switch
        {
            "T1" => (record, Path.Combine(dir, "runs", "t1")),
            "T2" => null,
            _ => throw new BrokenRecordException("record.json of T3", "not valid JSON"),
        }, Ctx, Path.Combine(dir, "strict.pdf"));
        over.WordCount.Should().Be(result.WordCount);
        over.Grades.Single(g => g.TaskId == AssignmentReport.ReportTaskId).Verdict.Outcome.Should().Be(Outcome.Fail);
        over.WithinWordLimit.Should().BeFalse();
        PdfTools.Require();
        string.Join(" ", PdfTools.Text(over.PdfPath).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Should().Contain("OVER THE LIMIT").And.Contain("at most 10 words");
    }

    [Test]
    public void Missing_and_broken_records_are_not_run_rows_with_the_reason()
    {
        var t2 = result.Grades.Single(g => g.TaskId == "T2");
        t2.Verdict.Should().Be(assignment.Tasks[1].Requirements[0].Judge(null));
        var t3 = result.Grades.Single(g => g.TaskId == "T3");
        t3.Verdict.Outcome.Should().Be(Outcome.NotRun);
        t3.Verdict.Detail.Should().Contain("broken record").And.Contain("not valid JSON");
    }

    [Test]
    public void The_pdf_holds_title_page_grade_sheet_sections_and_reproduce_commands()
    {
        PdfTools.Require();
        var text = PdfTools.Text(result.PdfPath);
        var flat = string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        flat.Should().Contain("Synthetic assignment").And.Contain("CM99999 Deep Learning").And.Contain("0123456789abcdef")
            .And.Contain("Grade sheet").And.Contain("not run").And.Contain("broken record")
            .And.Contain("harness run --assignment ex99 --task T2 --profile smoke --seed 42")
            .And.Contain("Train the network of T1").And.Contain("conv1").And.Contain("Dropout narrows the gap")
            .And.Contain("5 / 11").And.Contain($"{result.WordCount} of 500 words");
        for (var i = 1; i <= SampleData.AllFigureKinds().Count; i++) flat.Should().Contain($"Figure {i}:");
        PdfTools.Info(result.PdfPath)["Title"].Should().Contain("Synthetic assignment");
        PdfTools.Pages(result.PdfPath).Should().Be(result.Pages);
        PdfTools.Fonts(result.PdfPath).Should().OnlyContain(f => f.Emb == "yes");
        result.WordCount.Should().BeGreaterThan(20);
        result.WordLimit.Should().Be(500);
    }

    [Test]
    public void Results_json_scores_add_up()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(result.ResultsJsonPath));
        var root = json.RootElement;
        var tests = root.GetProperty("tests").EnumerateArray().ToList();
        tests.Should().HaveCount(result.Grades.Count);
        tests.Sum(t => t.GetProperty("score").GetDouble()).Should().Be(root.GetProperty("score").GetDouble());
        tests.Sum(t => t.GetProperty("max_score").GetDouble()).Should().Be(root.GetProperty("max_score").GetDouble());
        root.GetProperty("score").GetDouble().Should().Be(result.PointsEarned);
        root.GetProperty("max_score").GetDouble().Should().Be(result.PointsPossible);
        tests.Select(t => t.GetProperty("status").GetString()).Should().OnlyContain(s => s == "passed" || s == "failed");
    }

    [Test]
    public void JUnit_xml_has_a_suite_per_task_and_a_case_per_requirement()
    {
        result.JUnitPath.Should().EndWith("ex99-report.junit.xml");
        var xml = XDocument.Load(result.JUnitPath);
        var suites = xml.Root!.Elements("testsuite").ToList();
        suites.Should().HaveCount(4);
        suites.Select(s => s.Elements("testcase").Count()).Should().Equal(4, 1, 1, 1);
        xml.Descendants("failure").Should().HaveCount(1);
        xml.Descendants("error").Should().HaveCount(1);
        xml.Descendants("skipped").Should().HaveCount(2);
    }

    [Test]
    public void Long_tables_go_to_an_appendix_reproduce_commands_carry_the_extra_flags_and_resumed_runs_say_so()
    {
        PdfTools.Require();
        var epochs = new TableData("epochs", "Loss and accuracy per epoch.", new[] { "epoch", "test acc." },
            Enumerable.Range(1, 100).Select(e => (IReadOnlyList<string>)new[] { $"epoch {e}", "85.00%" }).ToList());
        var withLong = record with { Tables = record.Tables.Append(epochs).ToList(), Timing = record.Timing with { Resumed = true } };
        var t1 = new FakeTask("ex99", "T1", "Train a small network", new[] { Requirement.Holds("ran", "It ran", 1, "parameters") });
        var pdf = AssignmentReport.Write(new FakeAssignment(new TaskDefinition[] { t1 }), _ => (withLong, Path.Combine(dir, "runs", "t1")),
            Ctx with { ExtraFlags = "--train-images-limit 1500" }, Path.Combine(PdfTools.TempDir("long-tables"), "long-tables.pdf")).PdfPath;

        var flat = string.Join(" ", PdfTools.Text(pdf).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var appendix = flat.LastIndexOf("Appendix: long tables", StringComparison.Ordinal);   // the first is in the contents
        appendix.Should().BePositive();
        flat.IndexOf("Loss and accuracy per epoch (100 rows) is in the appendix", StringComparison.Ordinal).Should().BeInRange(0, appendix);
        flat.IndexOf("epoch 1 ", StringComparison.Ordinal).Should().BeGreaterThan(appendix, "the 100 rows are printed only in the appendix");
        flat.Should().Contain("epoch 100").And.Contain("conv1", "short tables stay in the section")
            .And.Contain("harness run --assignment ex99 --task T1 --profile smoke --seed 42 --train-images-limit 1500")
            .And.Contain("harness report --assignment ex99 --profile smoke --seed 42 --train-images-limit 1500")
            .And.Contain("after resuming an interrupted run from its checkpoints");
    }
}
