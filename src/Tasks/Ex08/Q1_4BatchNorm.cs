using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Metrics;
using Harness.Core.Requirements;
using Harness.Tasks.Common;
using Harness.Tasks.Ex08.Models;
using static TorchSharp.torch;

namespace Harness.Tasks.Ex08;

/// <summary>Q1.4: the baseline with a BatchNorm after conv1, conv2 and fc1, trained from scratch and compared with Q1.2.</summary>
public sealed class Q1_4BatchNorm : TaskDefinition
{
    public sealed record Settings_(Ex08TrainSettings Training);

    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "1.4";
    public override string Title => "Batch normalisation";
    public override string SeedText => "Add batch normalization in the network and train it from scratch.";
    public override IReadOnlyList<string> DependsOn => new[] { "1.2" };
    public override object Settings(Profile profile) => new Settings_(Ex08TrainSettings.For(profile));

    public override IReadOnlyList<Requirement> Requirements { get; } = new[]
    {
        Requirement.Holds("ex08.1.4.bn-placement", "A BatchNorm layer directly follows conv1, conv2 and fc1 (before their ReLU).", 1, "bn_after_each_layer"),
        Requirement.Exactly("ex08.1.4.params-bn", "The parameter table counts the BatchNorm scales and shifts: 64 + 128 + 256 = 448 parameters.", 0.5, "params_batchnorm", 448),
        Requirement.Exactly("ex08.1.4.params-total", "The network with batch normalisation has 1,199,882 + 448 = 1,200,330 parameters.", 0.5, "params_total", 1200330),
        Requirement.AtLeast("ex08.1.4.accuracy", "Best-epoch test accuracy with batch normalisation is at least 92.0% (full profile; smoke: ≥ 80% on 3,000 images and 2 epochs).",
            2, "best_test_accuracy", full: 0.92, smoke: 0.80),
        Requirement.Holds("ex08.1.4.beats-baseline", "Batch normalisation reaches the baseline's best test accuracy in fewer epochs, or ends with a higher best accuracy (the report says which).", 1, "beats_baseline"),
    };

    public override void Run(RunContext ctx)
    {
        var s = (Settings_)Settings(ctx.Profile);
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        DataPreparation.RecordSizes(ctx, data);

        manual_seed(ctx.Seed);
        using var model = new MnistExampleCnn(batchNorm: true);
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, label: "CNN with batch normalisation");
        ctx.Value("params_batchnorm", new[] { "bn1", "bn2", "bn3" }.Sum(n => ChildParameters(model, n)));
        var order = ModelSummary.Architecture(model, new long[] { 1, 28, 28 }).Select(r => r.Layer).ToList();
        bool After(string layer, string bn) => order.IndexOf(bn) == order.IndexOf(layer) + 1 && order.IndexOf(layer) >= 0;
        ctx.Value("bn_after_each_layer", After("conv1", "bn1") && After("conv2", "bn2") && After("fc1", "bn3") ? 1 : 0);

        var result = ctx.Timed("training", () => Ex08Training.Train(ctx, model, data, s.Training, "Q1.4 batch norm"));
        TrainingRecorder.Record(ctx, result, label: "CNN with batch normalisation");
        model.save(ctx.Artifact("best_weights", "best.weights"));

        // Against the baseline: the first epoch at which each reaches the baseline's best test accuracy, and the best accuracies.
        var baseline = ctx.Dependency("1.2").Record;
        double baseBest = baseline.Value("best_test_accuracy");
        int baseEpoch = (int)baseline.Value("best_epoch");
        var bnAcc = result.Epochs.Select(e => e.TestAccuracy).ToArray();
        int reach = Array.FindIndex(bnAcc, a => a >= baseBest) + 1; // 0 when never reached
        bool fewerEpochs = reach > 0 && reach < baseEpoch;
        bool higher = result.Best.TestAccuracy > baseBest;
        ctx.Value("baseline_best_test_accuracy", baseBest);
        ctx.Value("baseline_best_epoch", baseEpoch);
        ctx.Value("epochs_to_baseline_best", reach);
        ctx.Value("fewer_epochs", fewerEpochs ? 1 : 0);
        ctx.Value("higher_best_accuracy", higher ? 1 : 0);
        ctx.Value("beats_baseline", fewerEpochs || higher ? 1 : 0);
        var how = (fewerEpochs, higher) switch
        {
            (true, true) => $"in both respects: it reaches the baseline's best accuracy already at epoch {reach} (baseline: epoch {baseEpoch}) and ends higher",
            (true, false) => $"in fewer epochs: it reaches the baseline's best accuracy at epoch {reach} instead of {baseEpoch}, but its best accuracy is not higher",
            (false, true) => "with a higher best accuracy (not in fewer epochs)",
            _ => "neither: it does not beat the baseline in this run",
        };
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Batch normalisation beats the baseline {how}; best test accuracy {result.Best.TestAccuracy:P2} (epoch {result.BestEpoch}) against {baseBest:P2} (epoch {baseEpoch})."));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"After the first epoch the test accuracy is {bnAcc[0]:P2} with batch normalisation and {baseline.Series["test_accuracy"][0]:P2} without: normalised activations let Adadelta take larger effective steps early on."));
        ctx.Table("comparison", "Baseline (Q1.2) against batch normalisation (Q1.4), same data, seed and schedule.",
            new[] { "network", "parameters", "best epoch", "best test acc.", "test acc. after epoch 1" }, new[]
            {
                new[] { "baseline", baseline.Value("params_total").ToString("N0", CultureInfo.InvariantCulture), baseEpoch.ToString(CultureInfo.InvariantCulture), P(baseBest), P(baseline.Series["test_accuracy"][0]) },
                (IReadOnlyList<string>)new[] { "with batch norm", ModelSummary.TotalParameters(model).ToString("N0", CultureInfo.InvariantCulture), result.BestEpoch.ToString(CultureInfo.InvariantCulture), P(result.Best.TestAccuracy), P(bnAcc[0]) },
            });
    }

    private static string P(double v) => (100 * v).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static long ChildParameters(nn.Module model, string child) =>
        model.named_children().Where(c => c.name == child).Sum(c => c.module.parameters().Sum(p => p.numel()));
}
