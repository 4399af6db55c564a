using Harness.Tasks.Ece4179.Models;

namespace Harness.Tasks.Ece4179;

/// <summary>Q1.1: the shallow CNN of Table 1 on the pooled, re-split STL-10; curves, the model validation picks, hyperparameters.</summary>
public sealed class Q1_1ShallowCnn : Ece4179Task<Q1_1ShallowCnn.Settings_>
{
    public sealed record Settings_(string Data, SplitSizes Split, TrainSettings Training);

    /// <summary>The parameters of Table 1's network, as the seed counts them.</summary>
    public const long Parameters = 390_602;
    /// <summary>Table 1's output shapes.</summary>
    public static readonly (string Layer, string Shape)[] SeedShapes = { ("conv1", "96×45×45"), ("conv2", "64×21×21"), ("conv3", "128×10×10"), ("pool", "128×3×3") };
    public const string Input = "pixels scaled to [0, 1]";

    public override string Id => "1.1";
    public override string Title => "A shallow CNN on STL-10";
    public override string SeedText => "STL-10 has 13,000 labelled colour images of 96×96 pixels in 10 classes; use 8,000, 2,000 and 3,000 images for training, validation and testing. Implement the shallow CNN of Table 1 (conv1: 96 filters 7×7, stride 2; conv2: 64 filters 5×5, stride 2; conv3: 128 filters 3×3, stride 2; max-pooling 3×3, stride 3; fc1: 128 units; fc2: 10 units; ReLU after every convolution and after fc1) and train it. Plot the training and validation loss and the training, validation and test accuracy per epoch, explain how you chose the model you report, and give your hyperparameters in a table.";

    public override Settings_ Settings(Profile profile, string data) => profile == Profile.Full
        ? new(data, SplitSizes.Full, new TrainSettings(30, 32, "Adam", 1e-3, 0))
        : new(data, SplitSizes.Smoke, new TrainSettings(4, 16, "Adam", 2e-3, 0));

    protected override double? Work(Settings_ s) => s.Training.Work(s.Split);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = Settings(Profile.Smoke);
        var full = Settings(Profile.Full);
        return
        [
            Requirement.Exactly("ece4179.1.1.params", "The number of parameters of the shallow CNN (Table 1)", 3, "params_total", Parameters),
            Requirement.Holds("ece4179.1.1.shapes", $"The layers' output shapes are Table 1's: {string.Join(", ", SeedShapes.Select(s => $"{s.Layer} {s.Shape}"))}.", 2, "shapes_ok"),
            Requirement.Holds("ece4179.1.1.split", $"The labelled images are pooled and split seeded and stratified into {full.Split.Text} training/validation/test images (smoke: {smoke.Split.Text}), no image in two parts.", 2, "split_ok"),
            .. TrainingChecks(curves: 2, selection: 2, lossFalls: 1),
            ProvisionalAccuracy("ece4179.1.1.accuracy", "Test accuracy of the shallow CNN kept", 4, "best_test_accuracy", 0.55, 0.30, smoke.Training.Scale(smoke.Split)),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = Ece4179Data.Load(ctx, s.Split, normalise: false);
        Ece4179Data.RecordSplit(ctx, data, s.Split);
        using var trained = Ece4179Training.TrainAndRecord(ctx, "Shallow CNN", () => new ShallowCnn(), s.Training, data, Input);
        Ece4179Training.CheckShapes(ctx, (ITraceable)trained.Model, SeedShapes);
        var counts = ModelSummary.ParameterCounts(trained.Model);
        var largest = counts.MaxBy(c => c.Parameters);
        ctx.Observe($"{largest.Layer} holds {Show.Percent((double)largest.Parameters / ModelSummary.TotalParameters(trained.Model), 1)} of the {Show.Count(ModelSummary.TotalParameters(trained.Model))} parameters.");
        ctx.Observe($"The model reported is chosen by validation accuracy alone: after every epoch the validation part is evaluated and the epoch with the highest validation accuracy (epoch {trained.Result.BestEpoch} of {trained.Result.Epochs.Count}) is kept; its test accuracy is read only after the choice, so the test part plays no role in it.");
    }
}
