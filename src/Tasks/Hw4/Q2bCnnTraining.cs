using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Requirements;
using Harness.Tasks.Common;
using Harness.Tasks.Hw4.Models;
using static TorchSharp.torch;

namespace Harness.Tasks.Hw4;

/// <summary>2(b): train the small CNN of 2(a) on Fashion-MNIST and report the test accuracy of the best epoch.</summary>
public sealed class Q2bCnnTraining : TaskDefinition
{
    public sealed record Settings_(SmallFashionCnn.Options Network, Hw4TrainSettings Training);

    public const string WeightsArtifact = "best_weights";
    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "2b";
    public override string Title => "Training the small CNN";
    public override string SeedText => "Train your network and report the results on the test data.";
    public override object Settings(Profile profile) => new Settings_(new SmallFashionCnn.Options(), Hw4TrainSettings.For(profile, fullEpochs: 15));

    public override IReadOnlyList<Requirement> Requirements { get; } = new[]
    {
        Requirement.Holds("hw4.2b.loss-falls", "The training loss falls over training.", 1, "loss_falls"),
        Requirement.AtLeast("hw4.2b.accuracy", "Test accuracy of the best epoch ≥ 89.0% (full; the seed: 87.69%; smoke: ≥ 70% on 1,000 images and 2 epochs, chance is 10%).", 3,
            "best_test_accuracy", full: 0.89, smoke: 0.70),
    };

    public override void Run(RunContext ctx)
    {
        var s = (Settings_)Settings(ctx.Profile);
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        DataPreparation.RecordSizes(ctx, data);
        manual_seed(ctx.Seed);
        using var model = new SmallFashionCnn(s.Network);
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, label: "Small CNN");
        var result = ctx.Timed("training", () => Hw4Training.Train(ctx, model, data, s.Training, "2b small CNN"));
        TrainingRecorder.Record(ctx, result, label: "Small CNN");
        ctx.Value("train_seconds", result.Seconds);
        model.save(ctx.Artifact(WeightsArtifact, "best.weights"));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The small CNN reaches {100 * result.Best.TestAccuracy:0.00}% test accuracy at epoch {result.BestEpoch}; the seed's network reached 87.69%."));
    }
}
