using Harness.Tasks.Ex08.Models;

namespace Harness.Tasks.Ex08;

/// <summary>Q1.4: the baseline with a BatchNorm after conv1, conv2 and fc1, trained from scratch and compared with Q1.2.</summary>
public sealed class Q1_4BatchNorm : TaskDefinition<Q1_4BatchNorm.Settings_>
{
    public sealed record Settings_(Ex08TrainSettings Training);

    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "1.4";
    public override string Title => "Batch normalisation";
    public override string SeedText => "Add batch normalization in the network and train it from scratch.";
    public override IReadOnlyList<string> DependsOn => new[] { "1.2" };
    public override Settings_ Settings(Profile profile) => new Settings_(Ex08TrainSettings.For(profile));

    protected override double? Work(Settings_ s) => s.Training.Work;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("ex08.1.4.bn-placement", "A BatchNorm layer directly follows conv1, conv2 and fc1 (before their ReLU).", 1, "bn_after_each_layer"),
        Requirement.Exactly("ex08.1.4.params-bn", $"The parameter table's count of BatchNorm scales and shifts (2 × ({MnistExampleCnn.Conv1Channels} + {MnistExampleCnn.Conv2Channels} + {MnistExampleCnn.Hidden}))",
            0.5, "params_batchnorm", MnistExampleCnn.BatchNormParameters),
        Requirement.Exactly("ex08.1.4.params-total", $"The number of parameters of the network with batch normalisation ({Show.Count(Q1_2Baseline.Parameters)} + {MnistExampleCnn.BatchNormParameters})",
            0.5, "params_total", Q1_2Baseline.Parameters + MnistExampleCnn.BatchNormParameters),
        Requirement.AtLeast("ex08.1.4.accuracy", "Best-epoch test accuracy with batch normalisation", 2, "best_test_accuracy",
            new Threshold(0.92, 0.80, Settings(Profile.Smoke).Training.Scale), ValueFormat.Percent),
        Requirement.Holds("ex08.1.4.beats-baseline", "Batch normalisation reaches the baseline's best test accuracy in fewer epochs, or ends with a higher best accuracy (the report says which).", 1, "beats_baseline"),
    ];

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        DataPreparation.RecordSizes(ctx, data);

        manual_seed(ctx.Seed);
        using var model = new MnistExampleCnn(batchNorm: true);
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, label: "CNN with batch normalisation");
        ctx.Value("params_batchnorm", new[] { "bn1", "bn2", "bn3" }.Sum(n => ChildParameters(model, n)));
        var order = ModelSummary.Architecture(model, new long[] { 1, 28, 28 }).Select(r => r.Layer).ToList();
        var placement = new Findings();
        foreach (var (layer, bn) in new[] { ("conv1", "bn1"), ("conv2", "bn2"), ("fc1", "bn3") })
            placement.Expect(order.IndexOf(layer) >= 0 && order.IndexOf(bn) == order.IndexOf(layer) + 1,
                () => $"{bn} does not directly follow {layer} (layer order: {string.Join(", ", order)})");
        ctx.Check("bn_after_each_layer", placement, $"traced layer order {string.Join(" → ", order)}: bn1, bn2, bn3 directly follow conv1, conv2, fc1");

        var result = ctx.Timed("training", () => ctx.TrainClassifier("Q1.4 batch norm", model, s.Training.Recipe, data));
        TrainingRecorder.Record(ctx, result, label: "CNN with batch normalisation");
        model.save(ctx.Artifact("best_weights", "best.weights"));

        // Against the baseline: the first epoch at which each reaches the baseline's best test accuracy, and the best accuracies.
        var baseline = ctx.Dependency<Q1_2Baseline>().Record;
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
        ctx.Check("beats_baseline", fewerEpochs || higher, string.Create(CultureInfo.InvariantCulture,
            $"baseline best {baseBest:P2} at epoch {baseEpoch}; with batch norm first reached at epoch {(reach == 0 ? "never" : reach.ToString(CultureInfo.InvariantCulture))}, best {result.Best.TestAccuracy:P2}"));
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
                new[] { "baseline", baseline.Value("params_total").ToString("N0", CultureInfo.InvariantCulture), baseEpoch.ToString(CultureInfo.InvariantCulture), Show.Percent(baseBest), Show.Percent(baseline.Series["test_accuracy"][0]) },
                (IReadOnlyList<string>)new[] { "with batch norm", ModelSummary.TotalParameters(model).ToString("N0", CultureInfo.InvariantCulture), result.BestEpoch.ToString(CultureInfo.InvariantCulture), Show.Percent(result.Best.TestAccuracy), Show.Percent(bnAcc[0]) },
            });
    }


    private static long ChildParameters(nn.Module model, string child) =>
        model.named_children().Where(c => c.name == child).Sum(c => c.module.parameters().Sum(p => p.numel()));
}
