using Harness.Tasks.Ex08.Models;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 2(c): the small CNN against the other Fashion-MNIST network of the harness — Exercise sheet 08's baseline (the
/// PyTorch MNIST-example CNN) — trained here by the same trainer, data and settings as 2(b).
/// </summary>
public sealed class Q2cComparison : TaskDefinition<Q2cComparison.Settings_>
{
    public sealed record Settings_(Hw4TrainSettings Training);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "2c";
    public override string Title => "Comparison with other architectures";
    public override string SeedText => "Compare your results with the architectures of your colleagues: number of parameters, training time and test accuracy.";
    public override IReadOnlyList<string> DependsOn { get; } = new[] { "2b" };
    public override Settings_ Settings(Profile profile) => new Settings_(Hw4TrainSettings.For(profile, fullEpochs: 15));

    protected override double? Work(Settings_ s) => s.Training.Work;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Exactly("hw4.2c.networks", "The number of networks in the comparison table (the small CNN and Exercise sheet 08's baseline, trained by the same trainer and data)", 1, "networks_compared", 2),
        Requirement.Holds("hw4.2c.same-protocol", "Both networks were trained with identical settings (epochs, images, batch size, optimiser).", 1, "same_protocol"),
        Requirement.AtLeast("hw4.2c.baseline-trained", "The best test accuracy of the ex08 baseline (it learns)", 1, "ex08_best_test_accuracy",
            new Threshold(0.88, 0.65, Settings(Profile.Smoke).Training.Scale), ValueFormat.Percent),
    ];

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var small = ctx.Dependency<Q2bCnnTraining>();
        var b = small.Record;
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        manual_seed(ctx.Seed);
        using var model = new MnistExampleCnn();
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, prefix: "ex08_", label: "Ex08 baseline (MNIST-example CNN)");
        var result = ctx.Timed("training", () => ctx.TrainClassifier("2c ex08 baseline", model, s.Training.Recipe, data));
        TrainingRecorder.Record(ctx, result, prefix: "ex08_", label: "Ex08 baseline", figures: false);

        var ownSettings = small.Task.Settings(ctx.Options);
        ctx.Check("same_protocol", ownSettings.Training == s.Training, ownSettings.Training == s.Training
            ? $"both trained with {s.Training}" : $"2(b): {ownSettings.Training}; here: {s.Training}");
        var rows = new[]
        {
            (Name: $"Small CNN (2b): conv{ownSettings.Network.Conv1}-conv{ownSettings.Network.Conv2}-fc{ownSettings.Network.Hidden}",
                Params: b.Value("params_total"), Seconds: b.Timing.Sections.GetValueOrDefault("train_seconds"), Acc: b.Value("best_test_accuracy")),
            (Name: $"Ex08 baseline: conv{MnistExampleCnn.Conv1Channels}-conv{MnistExampleCnn.Conv2Channels}-fc{MnistExampleCnn.Hidden} without padding, dropout",
                Params: (double)ModelSummary.TotalParameters(model), Seconds: result.Seconds, Acc: result.Best.TestAccuracy),
        };
        ctx.Value("networks_compared", rows.Length);
        var pooled = ModelSummary.Architecture(model, new long[] { 1, 28, 28 }).Single(r => r.Layer == "pool").OutputShape;
        ctx.Table("comparison", string.Create(CultureInfo.InvariantCulture,
            $"2(c): networks trained by the same trainer on the same data ({s.Training.TrainImages:N0} training images, {s.Training.Epochs} epochs, {s.Training.Optimizer} lr {s.Training.LearningRate}, batch {s.Training.BatchSize}); training time on this machine ({ctx.Device.type.ToString().ToLowerInvariant()})."),
            new[] { "network", "parameters", "training time (s)", "s per epoch", "best test acc." },
            rows.Select(r => (IReadOnlyList<string>)new[]
            {
                r.Name, r.Params.ToString("N0", CultureInfo.InvariantCulture), r.Seconds.ToString("0.0", CultureInfo.InvariantCulture),
                (r.Seconds / s.Training.Epochs).ToString("0.0", CultureInfo.InvariantCulture), (100 * r.Acc).ToString("0.00", CultureInfo.InvariantCulture) + "%",
            }));
        ctx.Figure("comparison", "2(c): best test accuracy of each network.", new BarChartSpec("Small CNN vs Ex08 baseline", "network", "best test accuracy (%)",
            new[] { "small CNN (2b)", "ex08 baseline" }, new[] { new BarSeries("test accuracy", rows.Select(r => 100 * r.Acc).ToArray()) }));
        var better = rows[0].Acc >= rows[1].Acc ? rows[0] : rows[1];
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The ex08 baseline has {rows[1].Params / rows[0].Params:0.0}× the parameters of the small CNN (its fc1 sees {pooled} unpadded maps) and trains in {rows[1].Seconds / Math.Max(rows[0].Seconds, 1e-9):0.0}× the time; " +
            $"the {(better == rows[0] ? "small CNN" : "ex08 baseline")} is more accurate by {100 * Math.Abs(rows[0].Acc - rows[1].Acc):0.00} percentage points."));
        ctx.Observe("Training times are wall-clock on a shared machine and comparable only within this table.");
    }
}
