using FluentAssertions;
using Harness.Cli;
using Harness.Core.Configuration;
using Harness.Core.Records;
using Harness.Spec.Reporting;
using Harness.Tasks;
using NUnit.Framework;

namespace Harness.Spec;

/// <summary>
/// `harness calibrate` end to end on a cheap task (cm500335 2.1, the perceptron, smoke, K = 3): three seeds' run records,
/// a sealed calibration record with every seed's value, reused on a second call, and cited by `harness report`.
/// </summary>
[Property("Area", "Calibration"), Property("Assignment", "cm500335"), Property("Task", "2.1")]
public sealed class CalibrateCliTests
{
    string dir = "";

    [SetUp]
    public void TempDir() => dir = PdfTools.TempDir("calibrate-cli-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    [Test]
    public void Calibrate_usage_errors_say_what_to_give()
    {
        var noTask = CliProcess.Run("calibrate", "--assignment", "cm500335", "--output", dir);
        noTask.ExitCode.Should().Be(2, noTask.Output);
        noTask.Output.Should().Contain("calibrate needs --task").And.Contain("2.1");
        var one = CliProcess.Run("calibrate", "--assignment", "cm500335", "--task", "2.1", "--seeds", "1", "--output", dir);
        one.ExitCode.Should().Be(2, one.Output);
        one.Output.Should().Contain("--seeds needs at least 2");
        var twice = CliProcess.Run("calibrate", "--assignment", "cm500335", "--task", "2.1", "--seed-list", "4,4", "--output", dir);
        twice.ExitCode.Should().Be(2, twice.Output);
        twice.Output.Should().Contain("names a seed twice");
    }

    [Test]
    public void Calibrate_records_every_seed_reuses_them_and_the_report_cites_the_calibration()
    {
        string[] calibrate = ["calibrate", "--assignment", "cm500335", "--task", "2.1", "--seeds", "3", "--profile", "smoke", "--output", dir];
        var (code, output) = CliProcess.Run(calibrate);
        code.Should().BeOneOf([ExitCodes.Ok, ExitCodes.RequirementsNotMet], output);
        output.Should().Contain("seeds 42, 1, 2").And.MatchRegex(@"seed 42: test_accuracy \d+\.\d+% \[\d+\.\d+%, \d+\.\d+%\]")
            .And.Contain("cm500335.2.1.accuracy over 3 seeds");

        var task = Assignments.GetTask("cm500335", "2.1");
        var files = Directory.GetFiles(Path.Combine(dir, "cm500335", "2.1"), "*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetDirectoryName(f)!.Contains("calibration-smoke-")).ToList();
        files.Should().ContainSingle("one thresholded value: the test accuracy");
        var record = CalibrationStore.Read(files[0]);
        record.Seeds.Select(s => s.Seed).Should().Equal(42, 1, 2);
        record.Seeds.Should().OnlyContain(s => s.Value != null && s.ConfigHash.Length == 10);
        record.Statistics!.Count.Should().Be(3);
        record.Statistics.Mean.Should().BeApproximately(record.Seeds.Average(s => s.Value!.Value), 1e-12);
        record.Statistics.LowerBound.Should().BeLessThanOrEqualTo(record.Statistics.Mean);
        record.Threshold.Should().Be(task.Requirements.Single(r => r.Id == "cm500335.2.1.accuracy").Threshold!.Smoke);
        // The smoke bound declared as calibrated states exactly these seeds and values (same seed, same numbers on CPU),
        // and is its rule applied to them: the lower bound rounded down to half a point.
        var declared = Harness.Tasks.Cm500335.T2_1Perceptron.SmokeAccuracyOrigin;
        declared.Kind.Should().Be(Harness.Core.Requirements.OriginKind.Calibrated);
        declared.Seeds.Should().Equal(record.Seeds.Select(s => s.Seed));
        declared.Values.Should().Equal(record.Seeds.Select(s => s.Value!.Value));
        record.Threshold.Should().Be(Math.Floor(200 * record.Statistics.LowerBound!.Value) / 200);
        task.Requirements.Single(r => r.Id == "cm500335.2.1.accuracy").Text.Should().Contain("the smoke bound is calibrated over seeds 42, 1, 2");
        TestContext.Progress.WriteLine($"2.1 smoke over seeds 42, 1, 2: {string.Join(", ", record.Seeds.Select(s => s.Value))}; " +
                                       $"sd {record.Statistics.StandardDeviation}; lower bound {record.Statistics.LowerBound}; walls {string.Join(", ", record.Timing.WallSeconds.Values)}");

        // Each seed is an ordinary run record; a second calibration reuses all three and writes the same values.
        var again = CliProcess.Run(calibrate);
        again.Output.Should().NotContain("Running cm500335/2.1", "finished seeds are reused");
        CalibrationStore.Read(files[0]).Seeds.Should().BeEquivalentTo(record.Seeds);

        // An edited calibration record is not used.
        var sealedJson = File.ReadAllText(files[0]);
        File.WriteAllText(files[0] + ".tmp", sealedJson.Replace("\"seed\": 42", "\"seed\": 43"));
        FluentActions.Invoking(() => CalibrationStore.Read(files[0] + ".tmp")).Should().Throw<BrokenRecordException>();
        File.Delete(files[0] + ".tmp");

        // The report cites it beside the grade sheet: K, seeds and the binomial interval of seed 42's accuracy.
        PdfTools.Require();
        var pdf = Path.Combine(dir, "cm500335.pdf");
        var report = CliProcess.Run("report", "--assignment", "cm500335", "--out", pdf, "--profile", "smoke", "--seed", "42", "--output", dir);
        report.ExitCode.Should().Be(0, report.Output);
        var text = string.Join(" ", PdfTools.Text(pdf).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        text.Should().Contain("Where the thresholds come from").And.Contain("K = 3 (seeds 42, 1, 2)")
            .And.Contain("calibrated: the one-sided 95% lower bound of the mean").And.MatchRegex(@"\d+\.\d+% \[\d+\.\d+%, \d+\.\d+%\] on 423");
    }
}
