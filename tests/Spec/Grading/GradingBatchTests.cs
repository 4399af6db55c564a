using System.Text.Json.Nodes;
using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Grading;
using Harness.Core.Requirements;
using Harness.Core.Training;
using Harness.Tasks;
using Harness.Tasks.Cm500335.Models;
using Harness.Tasks.Ex08.Models;
using Harness.Tasks.Hw4;
using Harness.Tasks.Hw4.Models;
using Harness.TestSupport;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;
using F = Harness.Spec.Grading.Submissions.Format;

namespace Harness.Spec.Grading;

/// <summary>
/// A class graded in process at the smoke profile's held-out split and thresholds: every submission gets the verdicts
/// its files deserve from the tasks' own requirements (good files in all three formats, wrong architectures, NaN
/// weights, a pickle calling os.system, a 5 GB file, a truncated upload, manifests naming unknown tasks or none), no bad
/// one stops the batch, and a rerun keeps every unchanged grade and regrades only a submission whose file changed.
/// </summary>
[Property("Area", "Grading")]
public sealed class GradingBatchTests
{
    private string dir = "";
    private static readonly GradingOptions Smoke = new() { Profile = Profile.Smoke, FeedbackPdfs = false };

    [SetUp]
    public void TempDir() => dir = Directory.CreateTempSubdirectory("harness-grade-").FullName;

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    private static BatchResult Grade(string assignment, string submissions, string output, GradingOptions grading)
    {
        var options = HarnessTestRun.Options;
        var progress = new LineProgress(TestContext.Progress, linesPerTask: 1);
        var a = Assignments.Get(assignment);
        var batch = new GradingBatch(a, [], options, grading, output, progress);
        using var runner = new InProcessRunner(new SubmissionMeasurer(options, grading, a, progress));
        return batch.Run(GradingBatch.Discover(submissions), runner);
    }

    private static Dictionary<string, RequirementGrade> Verdicts(BatchResult r, string submission) =>
        r.Submissions.Single(s => s.Grade.Submission == submission).Grade.Tasks.SelectMany(t => t.Requirements).ToDictionary(x => x.Id);

    /// <summary>Twelve ex08 submissions, good and bad, in the formats and faults students produce.</summary>
    internal static void Ex08Class(string root)
    {
        var task = new Dictionary<string, string> { ["1.2"] = "model.pt" };
        manual_seed(7);
        using var net = new MnistExampleCnn();
        Submissions.Save(net, Path.Combine(Submissions.Folder(root, "good-pytorch", "s001", task, "trained 0 epochs"), "model.pt"));
        Submissions.Save(net, Path.Combine(Submissions.Folder(root, "good-safetensors", "s002", new Dictionary<string, string> { ["1.2"] = "w.safetensors" }), "w.safetensors"), F.Safetensors);
        Submissions.Save(net, Path.Combine(Submissions.Folder(root, "good-torchsharp", "s003", new Dictionary<string, string> { ["1.2"] = "w.dat" }), "w.dat"), F.TorchSharp);
        using (var bn = new MnistExampleCnn(batchNorm: true)) Submissions.Save(bn, Path.Combine(Submissions.Folder(root, "extra-batchnorm", "s004", task), "model.pt"));
        using (var mlp = new Mlp([1000, 1000])) Submissions.Save(mlp, Path.Combine(Submissions.Folder(root, "wrong-architecture", "s005", task), "model.pt"));
        using (var nan = new MnistExampleCnn())
        {
            Submissions.PoisonWithNaN(nan, "fc1.weight");
            Submissions.Save(nan, Path.Combine(Submissions.Folder(root, "nan-weights", "s006", task), "model.pt"));
        }
        Submissions.TorchZipWithPickle(Path.Combine(Submissions.Folder(root, "os-system", "s007", task), "model.pt"), Submissions.OsSystemPickle());
        Submissions.Sparse(Path.Combine(Submissions.Folder(root, "five-gb", "s008", task), "model.pt"), 5L << 30);
        Submissions.Truncate(Path.Combine(root, "good-pytorch", "model.pt"), Path.Combine(Submissions.Folder(root, "truncated", "s009", task), "model.pt"));
        Submissions.Save(net, Path.Combine(Submissions.Folder(root, "unknown-task", "s010", new Dictionary<string, string> { ["9.9"] = "model.pt" }), "model.pt"));
        var bare = Path.Combine(root, "no-manifest");
        Submissions.Save(net, Path.Combine(bare, "my_model.pth"));
        File.WriteAllText(Path.Combine(Submissions.Folder(root, "bad-json", "s012", task), "submission.json"), "{\"student\": \"s012\", tasks: }");
    }

    [Test]
    public void A_class_of_ex08_submissions_gets_the_verdicts_its_files_deserve_and_a_rerun_grades_only_what_changed()
    {
        var subs = Path.Combine(dir, "subs");
        Ex08Class(subs);
        var output = Path.Combine(dir, "grades");
        var first = Grade("ex08", subs, output, Smoke);

        first.Submissions.Should().HaveCount(12).And.OnlyContain(s => s.Outcome == SubmissionOutcome.Graded);
        const string loads = "ex08.1.2.model-loads", finite = "ex08.1.2.weights-finite", total = "ex08.1.2.params-total", acc = "ex08.1.2.accuracy";
        foreach (var good in new[] { "good-pytorch", "good-safetensors", "good-torchsharp", "no-manifest" })
        {
            var v = Verdicts(first, good);
            v.Values.Where(r => r.Id != acc).Should().OnlyContain(r => r.Outcome == Outcome.Pass, good);
            // An untrained network: about chance, measured on the held-out split, with its Wilson interval.
            v[acc].Outcome.Should().Be(Outcome.Fail);
            v[acc].Interval.Should().NotBeNull();
            v[acc].Interval!.Total.Should().BeGreaterThan(0);
            ((double)v[acc].Interval!.Correct / v[acc].Interval!.Total).Should().BeLessThan(0.3);
            v[acc].Detail.Should().Contain("95% interval").And.Contain("(Wilson)");
            v[acc].Visibility.Should().Be(Visibility.AfterPublished);
        }
        var score = first.Submissions.Single(s => s.Grade.Submission == "good-pytorch").Grade;
        score.Score.Should().Be(2);   // four layers at 0.25 and the total at 1; the accuracy's 2 points missed
        score.MaxScore.Should().Be(4);
        score.Student.Should().Be("s001");

        var bn = Verdicts(first, "extra-batchnorm");
        bn[loads].Outcome.Should().Be(Outcome.Fail);
        bn[loads].Measured.Should().NotBeNull();
        bn[loads].Detail.Should().Contain("unexpected").And.Contain("bn1.weight [32]");
        bn["ex08.1.2.params-conv1"].Outcome.Should().Be(Outcome.Pass);
        bn[total].Outcome.Should().Be(Outcome.Fail);
        bn[acc].Detail.Should().StartWith("not measured");

        var mlp = Verdicts(first, "wrong-architecture");
        mlp[loads].Detail.Should().Contain("missing").And.Contain("conv1.weight [32, 1, 3, 3]").And.Contain("unexpected").And.Contain("fc3.weight");

        var nan = Verdicts(first, "nan-weights");
        nan[loads].Outcome.Should().Be(Outcome.Pass);
        nan[finite].Outcome.Should().Be(Outcome.Fail);
        nan[finite].Detail.Should().Contain("fc1.weight").And.Contain("NaN");
        nan[acc].Outcome.Should().Be(Outcome.Fail);

        Verdicts(first, "os-system")[loads].Detail.Should().Contain("os.system").And.Contain("refused");
        Verdicts(first, "five-gb")[loads].Detail.Should().Contain("5 GiB").And.Contain("not read");
        Verdicts(first, "truncated")[loads].Detail.Should().Contain("truncated");
        File.Exists(Path.Combine(subs, "os-system", "PWNED")).Should().BeFalse();

        var unknown = first.Submissions.Single(s => s.Grade.Submission == "unknown-task").Grade;
        unknown.Problems.Should().Contain(p => p.Contains("\"9.9\"") && p.Contains("not a task of ex08"));
        unknown.Score.Should().Be(0);
        Verdicts(first, "unknown-task")[acc].Outcome.Should().Be(Outcome.NotRun);
        first.Submissions.Single(s => s.Grade.Submission == "no-manifest").Grade.Problems.Should().Contain(p => p.Contains("my_model.pth"));
        first.Submissions.Single(s => s.Grade.Submission == "bad-json").Grade.Problems.Should().Contain(p => p.Contains("not valid JSON"));

        // Gradescope's results.json: score, max_score, a test per requirement with its visibility.
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "submissions", "good-pytorch", GradingBatch.ResultsFile)))!;
        results["score"]!.GetValue<double>().Should().Be(2);
        results["max_score"]!.GetValue<double>().Should().Be(4);
        var tests = results["tests"]!.AsArray();
        tests.Should().HaveCount(8);
        tests.Single(t => t!["name"]!.GetValue<string>().Contains(acc))!["visibility"]!.GetValue<string>().Should().Be("after_published");
        File.ReadAllText(Path.Combine(output, "submissions", "nan-weights", GradingBatch.JUnitFile)).Should().Contain("<failure").And.Contain(finite);
        var book = File.ReadAllLines(first.GradeBookPath);
        book.Should().HaveCount(13);
        book[0].Should().StartWith("submission,student,score,max_score");
        book.Should().Contain(l => l.StartsWith("good-pytorch,s001,2,4,"));

        // Unchanged: all kept. One file changed: only that submission is graded again.
        var again = Grade("ex08", subs, output, Smoke);
        again.Submissions.Should().OnlyContain(s => s.Outcome == SubmissionOutcome.Kept);
        using (var other = new MnistExampleCnn()) Submissions.Save(other, Path.Combine(subs, "good-pytorch", "model.pt"));
        var third = Grade("ex08", subs, output, Smoke);
        third.Submissions.Where(s => s.Outcome == SubmissionOutcome.Graded).Select(s => s.Grade.Submission).Should().Equal("good-pytorch");
    }

    [Test]
    public void A_trained_cm500335_mlp_meets_the_accuracy_an_untrained_one_misses_and_hw4_checks_its_architecture()
    {
        var subs = Path.Combine(dir, "cm");
        var task = new Dictionary<string, string> { ["3.1"] = "mlp.pt" };
        using (var trained = TrainedMlp()) Submissions.Save(trained, Path.Combine(Submissions.Folder(subs, "trained", "s1", task), "mlp.pt"));
        manual_seed(3);
        using (var untrained = new Mlp([1000, 1000])) Submissions.Save(untrained, Path.Combine(Submissions.Folder(subs, "untrained", "s2", task), "mlp.pt"), F.Safetensors);
        var cm = Grade("cm500335", subs, Path.Combine(dir, "cm-grades"), Smoke with { FeedbackPdfs = true });

        var good = Verdicts(cm, "trained");
        good.Values.Should().OnlyContain(r => r.Outcome == Outcome.Pass);
        TestContext.Progress.WriteLine($"trained MLP: {good["cm500335.3.1.accuracy"].Measured} ({good["cm500335.3.1.accuracy"].Detail})");
        good["cm500335.3.1.accuracy"].Interval!.Low.Should().BeGreaterThan(0.75, "a trained MLP is well above the smoke threshold");
        cm.Submissions.Single(s => s.Grade.Submission == "trained").Grade.Score.Should().Be(3);
        var bad = Verdicts(cm, "untrained");
        bad["cm500335.3.1.params"].Outcome.Should().Be(Outcome.Pass);
        bad["cm500335.3.1.accuracy"].Outcome.Should().Be(Outcome.Fail);
        foreach (var s in new[] { "trained", "untrained" })
            File.ReadAllBytes(Path.Combine(dir, "cm-grades", "submissions", s, GradingBatch.FeedbackFile))[..4].Should().Equal("%PDF"u8.ToArray());
        File.Exists(cm.SummaryPath).Should().BeTrue();

        var hw = Path.Combine(dir, "hw4");
        var hwTask = new Dictionary<string, string> { ["2b"] = "cnn.pt" };
        manual_seed(5);
        using (var cnn = new SmallFashionCnn(new Q2bCnnTraining().Settings(Profile.Full).Network)) Submissions.Save(cnn, Path.Combine(Submissions.Folder(hw, "small-cnn", "s1", hwTask), "cnn.pt"));
        using (var big = new MnistExampleCnn()) Submissions.Save(big, Path.Combine(Submissions.Folder(hw, "other-cnn", "s2", hwTask), "cnn.pt"));
        var hw4 = Grade("hw4", hw, Path.Combine(dir, "hw4-grades"), Smoke);
        Verdicts(hw4, "small-cnn")["hw4.2b.model-loads"].Outcome.Should().Be(Outcome.Pass);
        Verdicts(hw4, "small-cnn")["hw4.2b.accuracy"].Outcome.Should().Be(Outcome.Fail);
        Verdicts(hw4, "other-cnn")["hw4.2b.model-loads"].Outcome.Should().Be(Outcome.Fail);
        Verdicts(hw4, "other-cnn")["hw4.2b.accuracy"].Detail.Should().StartWith("not measured");
    }

    /// <summary>The task's MLP trained briefly (Adam, batch 50, one pass over 3,000 MNIST training images scaled to [−1, 1]), seeded.</summary>
    private static Mlp TrainedMlp()
    {
        manual_seed(11);
        var model = new Mlp([1000, 1000]);
        var train = new DataSets(HarnessTestRun.Options, new LineProgress(TestContext.Progress, 1)).Mnist().Train;
        using var images = train.Images[..3000].mul(2f).sub(1f);
        using var labels = train.Labels[..3000];
        using var optimiser = optim.Adam(model.parameters(), 0.001);
        model.train();
        for (int i = 0; i < 3000; i += 50)
        {
            using var scope = NewDisposeScope();
            optimiser.zero_grad();
            nn.functional.cross_entropy(model.call(images[i..(i + 50)]), labels[i..(i + 50)]).backward();
            optimiser.step();
        }
        model.eval();
        return model;
    }
}
