using Harness.Tasks.Cm500335.Models;

namespace Harness.Tasks.Cm500335;

/// <summary>
/// Task 3.2: four more MLPs with 3, 4, 5 and 7 hidden layers, trained exactly like 3.1. Widths shrink with depth
/// (800, 600, 500, 400) so that depth and parameter count are not the same axis; the 2-layer MLP of 3.1 is the fifth.
/// </summary>
public sealed class T3_2MlpDepth : TaskDefinition<T3_2MlpDepth.Settings_>
{
    public sealed record Variant(string Name, int[] Hidden);
    public sealed record Settings_(MnistSizes Data, Variant[] Variants, AdamSettings Training);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "3.2";
    public override string Title => "MLPs of depth 2 to 7";
    public override string SeedText => "Train four more MLPs with 3, 4, 5 and 7 hidden layers (choose their widths) and compare accuracy, depth and number of parameters of all five in a table and a plot.";
    public override IReadOnlyList<string> DependsOn => new[] { "3.1" };

    static readonly Variant[] Variants =
    {
        new("mlp3", new[] { 800, 800, 800 }),
        new("mlp4", new[] { 600, 600, 600, 600 }),
        new("mlp5", new[] { 500, 500, 500, 500, 500 }),
        new("mlp7", new[] { 400, 400, 400, 400, 400, 400, 400 }),
    };
    public override Settings_ Settings(Profile profile) => profile == Profile.Full
        ? new Settings_(new MnistSizes(null, null), Variants, T3_1Mlp.Training(Profile.Full))
        : new Settings_(new MnistSizes(800, 500), Variants, T3_1Mlp.Training(Profile.Smoke));

    protected override double? Work(Settings_ s) => s.Variants.Length * s.Training.Work(s.Data);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = Settings(Profile.Smoke);
        int steps = smoke.Training.Epochs * (smoke.Data.Train!.Value / smoke.Training.BatchSize);
        var depths = Variants.Select(v => v.Hidden.Length).ToList();
        return
        [
            Requirement.Exactly("cm500335.3.2.models", $"The number of MLPs compared in one table and plot (3.1's and the {Show.Word(Variants.Length)} deeper ones)", 1, "models_compared", Variants.Length + 1),
            Requirement.Holds("cm500335.3.2.depths", $"The {Show.Word(Variants.Length)} new MLPs have {string.Join(", ", depths.SkipLast(1))} and {depths[^1]} hidden layers and their parameter counts match their widths.", 1, "depths_ok"),
            Requirement.AtLeast("cm500335.3.2.accuracy", "The lowest final test accuracy of the deeper MLPs", 1, "min_final_test_accuracy",
                new Threshold(0.97, 0.30, $"{smoke.Data.TrainScale}, only {steps} Adam steps, where the deepest MLP is still far from converged"), ValueFormat.Percent),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var baseRecord = ctx.Dependency<T3_1Mlp>().Record;
        var data = Cm500335Data.Mnist(ctx, s.Data);
        Cm500335Data.RecordSizes(ctx, data);
        var rows = new List<(int Depth, ModelSummaryRow Row, double[] TestCurve)>
        {
            (2, Cm500335Training.FromRecord(baseRecord, "", "MLP 2×1000 (task 3.1)", "MLP", "1000-1000"), baseRecord.Series["test_accuracy"]),
        };
        bool depthsOk = true;
        foreach (var (v, k) in s.Variants.Select((v, k) => (v, k)))
        {
            manual_seed(ctx.Seed + k + 1);
            using var model = new Mlp(v.Hidden);
            var shape = string.Join("-", v.Hidden);
            var (row, result) = Cm500335Training.TrainAndRecord(ctx, model, data, s.Training, v.Name + "_",
                $"MLP {v.Hidden.Length}×{v.Hidden[0]}", "MLP", shape, figures: false);
            depthsOk &= row.Parameters == Mlp.ParameterCount(v.Hidden);
            rows.Add((v.Hidden.Length, row, result.Epochs.Select(e => e.TestAccuracy).ToArray()));
        }
        depthsOk &= rows.Skip(1).Select(r => r.Depth).SequenceEqual(s.Variants.Select(v => v.Hidden.Length));
        var expectedDepths = s.Variants.Select(v => v.Hidden.Length).ToList();
        ctx.Check("depths_ok", depthsOk, depthsOk
            ? $"{string.Join(", ", rows.Skip(1).Select(r => $"{r.Depth} layers: {Show.Count(r.Row.Parameters)} parameters"))}, each as its widths give"
            : $"depths {string.Join(", ", rows.Skip(1).Select(r => r.Depth))} (expected {string.Join(", ", expectedDepths)}), parameters {string.Join(", ", rows.Skip(1).Select(r => Show.Count(r.Row.Parameters)))} against {string.Join(", ", s.Variants.Select(v => Show.Count(Mlp.ParameterCount(v.Hidden))))}");
        ctx.Value("models_compared", rows.Count);
        ctx.Value("min_final_test_accuracy", rows.Skip(1).Min(r => r.Row.TestAccuracy));
        foreach (var r in rows) ctx.Value($"final_test_accuracy_depth{r.Depth}", r.Row.TestAccuracy);

        ctx.Table("depth_comparison", "MLPs by number of hidden layers: widths, parameters, final test accuracy and training time (this machine, shared CPU).",
            new[] { "hidden layers", "widths", "parameters", "test accuracy", "training time (s)" },
            rows.Select(r => (IReadOnlyList<string>)new[]
            {
                r.Depth.ToString(CultureInfo.InvariantCulture), r.Row.Shape, r.Row.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                r.Row.TestAccuracy.ToString("P2", CultureInfo.InvariantCulture), r.Row.TrainSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            }));
        var depths = rows.Select(r => (double)r.Depth).ToArray();
        ctx.Figure("accuracy_vs_depth", "Final test accuracy of the five MLPs against their number of hidden layers.",
            new LineChartSpec("MLP test accuracy vs depth", "hidden layers", "test accuracy (%)",
                new[] { new LineSeries("final test accuracy", depths, rows.Select(r => 100 * r.Row.TestAccuracy).ToArray()) }));
        ctx.Figure("accuracy_vs_parameters", "Final test accuracy of the five MLPs against their parameter count (labels give the number of hidden layers).",
            new BarChartSpec("MLP test accuracy and size", "hidden layers", "value", rows.Select(r => r.Depth.ToString(CultureInfo.InvariantCulture)).ToArray(),
                new[] { new BarSeries("test accuracy (%)", rows.Select(r => 100 * r.Row.TestAccuracy).ToArray()),
                        new BarSeries("parameters (×10⁴)", rows.Select(r => r.Row.Parameters / 1e4).ToArray()) }));
        ctx.Figure("test_accuracy_curves", "Test accuracy per epoch of the five MLPs.",
            new LineChartSpec("MLP test accuracy per epoch", "epoch", "test accuracy (%)",
                rows.Select(r => new LineSeries($"{r.Depth} hidden layers", Enumerable.Range(1, r.TestCurve.Length).Select(i => (double)i).ToArray(),
                    r.TestCurve.Select(a => 100 * a).ToArray())).ToList()));

        var best = rows.MaxBy(r => r.Row.TestAccuracy);
        var worst = rows.MinBy(r => r.Row.TestAccuracy);
        var spread = best.Row.TestAccuracy - worst.Row.TestAccuracy;
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The best MLP has {best.Depth} hidden layers ({best.Row.TestAccuracy:P2}, {best.Row.Parameters:N0} parameters), the worst {worst.Depth} ({worst.Row.TestAccuracy:P2}); the spread is {100 * spread:0.00} points, {(spread < 0.005 ? "so depth barely matters at this size" : "so depth matters here")}."));
        var byParams = rows.OrderBy(r => r.Row.Parameters).Select(r => r.Depth).ToList();
        ctx.Observe($"Ordered by parameter count the depths are {string.Join(", ", byParams)}; more parameters {(rows.OrderBy(r => r.Row.Parameters).Select(r => r.Row.TestAccuracy).Zip(rows.OrderBy(r => r.Row.Parameters).Skip(1).Select(r => r.Row.TestAccuracy)).All(p => p.Second >= p.First) ? "always" : "do not always")} give higher accuracy.");
    }
}
