using Harness.Tasks.Ece4179.Models;

namespace Harness.Tasks.Ece4179;

/// <summary>Q2.1: the deep CNN of four conv-blocks, global average pooling and one fully connected layer; the same curves as 1.1.</summary>
public sealed class Q2_1DeepCnn : Ece4179Task<Q2_1DeepCnn.Settings_>
{
    public sealed record Settings_(string Data, SplitSizes Split, TrainSettings Training);

    /// <summary>The parameters of the seed's deep network.</summary>
    public const long Parameters = 901_066;
    /// <summary>The side of each block's output, as the seed gives it.</summary>
    public static readonly int[] SeedSides = { 48, 24, 12, 6 };
    public static IReadOnlyList<(string Layer, string Shape)> SeedShapes =>
        SeedSides.Select((side, b) => ($"block{b + 1}_conv", $"{DeepCnn.Widths[b]}×{side}×{side}")).ToList();

    public override string Id => "2.1";
    public override string Title => "A deep CNN";
    public override string SeedText => "Implement a deeper network of four conv-blocks, each a 3×3 convolution with stride 2 and padding 1, a 1×1 convolution and a 3×3 convolution with padding 1, each followed by a ReLU, with 32, 64, 128 and 192 channels; then global average pooling and a fully connected layer to the 10 classes. Train it as in Q1.1 and plot the same curves.";

    public override Settings_ Settings(Profile profile, string data) => profile == Profile.Full
        ? new(data, SplitSizes.Full, new TrainSettings(30, 32, "Adam", 5e-4, 0))
        : new(data, SplitSizes.Smoke, new TrainSettings(4, 16, "Adam", 5e-4, 0));

    protected override double? Work(Settings_ s) => s.Training.Work(s.Split);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = Settings(Profile.Smoke);
        return
        [
            Requirement.Exactly("ece4179.2.1.params", "The number of parameters of the deep CNN", 3, "params_total", Parameters),
            Requirement.Holds("ece4179.2.1.shapes", $"Each block halves the side: the blocks give {string.Join(", ", SeedShapes.Select(s => s.Shape))}.", 2, "shapes_ok"),
            .. TrainingChecks(curves: 2, selection: 2, lossFalls: 1),
            ProvisionalAccuracy("ece4179.2.1.accuracy", "Test accuracy of the deep CNN kept", 5, "best_test_accuracy", 0.60, Chance, smoke.Training.Scale(smoke.Split), DeepSmokeNote),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = Ece4179Data.Load(ctx, s.Split, normalise: false);
        Ece4179Data.RecordSplit(ctx, data, s.Split);
        using var trained = Ece4179Training.TrainAndRecord(ctx, "Deep CNN", () => new DeepCnn(), s.Training, data, Q1_1ShallowCnn.Input);
        Ece4179Training.CheckShapes(ctx, (ITraceable)trained.Model, SeedShapes);
        var counts = ModelSummary.ParameterCounts(trained.Model);
        long total = ModelSummary.TotalParameters(trained.Model), last = counts.Where(c => c.Layer.StartsWith($"block{DeepCnn.Widths.Length}_", StringComparison.Ordinal)).Sum(c => c.Parameters);
        ctx.Observe($"The last block holds {Show.Percent((double)last / total, 1)} of the {Show.Count(total)} parameters; global average pooling leaves the fully connected layer only {Show.Count(counts.Single(c => c.Layer == "fc").Parameters)}.");
    }
}
