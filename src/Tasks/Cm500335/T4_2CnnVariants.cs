using Harness.Tasks.Cm500335.Models;

namespace Harness.Tasks.Cm500335;

/// <summary>
/// Task 4.2: four more CNNs of other depth or width (narrow, wide, shallow, deep), trained like 4.1, and one table
/// with the five MLPs of 3.1/3.2 comparing accuracy, parameters, training time and test time.
/// </summary>
public sealed class T4_2CnnVariants : TaskDefinition<T4_2CnnVariants.Settings_>
{
    public sealed record Variant(string Name, string Description, T4_1Cnn.Architecture Net);
    public sealed record Settings_(MnistSizes Data, Variant[] Variants, AdamSettings Training);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "4.2";
    public override string Title => "CNNs of other depth and width, compared with the MLPs";
    public override string SeedText => "Train four more CNNs of different depth or width and compare all CNNs and MLPs in one table by accuracy, number of parameters, training time and test time.";
    public override IReadOnlyList<string> DependsOn => new[] { "3.1", "3.2", "4.1" };

    static readonly Variant[] Variants =
    {
        new("cnn_narrow", "narrow [16, 32, 64]", new(new[] { 16, 32, 64 }, 4, new[] { 1, 2, 2 }, 0)),
        new("cnn_wide", "wide [48, 96, 192]", new(new[] { 48, 96, 192 }, 4, new[] { 1, 2, 2 }, 0)),
        new("cnn_shallow", "shallow [32, 64]", new(new[] { 32, 64 }, 4, new[] { 1, 2 }, 0)),
        new("cnn_deep", "deep [32, 64, 128, 256]", new(new[] { 32, 64, 128, 256 }, 4, new[] { 1, 2, 2, 2 }, 0)),
    };
    public override Settings_ Settings(Profile profile) => profile == Profile.Full
        ? new Settings_(new MnistSizes(null, null), Variants, T4_1Cnn.Training(Profile.Full))
        : new Settings_(new MnistSizes(800, 500), Variants, T4_1Cnn.Training(Profile.Smoke));

    protected override double? Work(Settings_ s) => s.Variants.Length * s.Training.Work(s.Data);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = Settings(Profile.Smoke);
        int networks = 2 * (Variants.Length + 1);
        return
        [
            Requirement.Exactly("cm500335.4.2.models", "The number of networks one table compares (the MLPs of 3.1/3.2 and the CNNs of 4.1/4.2)", 1, "models_compared", networks),
            Requirement.Holds("cm500335.4.2.variants", $"The {Show.Word(Variants.Length)} new CNNs each differ from 4.1's in depth or width.", 0.5, "variants_differ"),
            Requirement.Holds("cm500335.4.2.timings", "Training time and test time are measured for every network.", 1, "timings_ok"),
            Requirement.AtLeast("cm500335.4.2.accuracy", "The lowest final test accuracy of the new CNNs", 1, "min_final_test_accuracy",
                new Threshold(0.985, 0.70, $"{smoke.Data.TrainScale} and {smoke.Training.Epochs} epochs"), ValueFormat.Percent),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var mlp = ctx.Dependency<T3_1Mlp>().Record;
        var depth = ctx.Dependency<T3_2MlpDepth>();
        var deep = depth.Record;
        var cnn = ctx.Dependency<T4_1Cnn>().Record;
        var data = Cm500335Data.Mnist(ctx, s.Data);
        Cm500335Data.RecordSizes(ctx, data);

        var rows = new List<ModelSummaryRow> { Cm500335Training.FromRecord(mlp, "", "MLP 2×1000 (3.1)", "MLP", "1000-1000") };
        var mlpVariants = depth.Task.Settings(ctx.Options).Variants;
        rows.AddRange(mlpVariants.Select(v => Cm500335Training.FromRecord(deep, v.Name + "_", $"MLP {v.Hidden.Length}×{v.Hidden[0]} (3.2)", "MLP", string.Join("-", v.Hidden))));
        rows.Add(Cm500335Training.FromRecord(cnn, "", "CNN [32, 64, 128] (4.1)", "CNN", "32-64-128"));

        var newRows = new List<ModelSummaryRow>();
        bool differ = true;
        foreach (var (v, k) in s.Variants.Select((v, k) => (v, k)))
        {
            manual_seed(ctx.Seed + 10 + k);
            using var model = T4_1Cnn.Build(v.Net);
            var (row, _) = Cm500335Training.TrainAndRecord(ctx, model, data, s.Training, v.Name + "_", $"CNN {v.Description}", "CNN",
                string.Join("-", v.Net.Channels), figures: false);
            differ &= !v.Net.Channels.SequenceEqual(T4_1Cnn.Net.Channels);
            newRows.Add(row);
        }
        rows.AddRange(newRows);
        ctx.Check("variants_differ", differ, differ ? $"channels {string.Join("; ", s.Variants.Select(v => $"[{string.Join(", ", v.Net.Channels)}]"))} against 4.1's [{string.Join(", ", T4_1Cnn.Net.Channels)}]"
            : $"a variant has 4.1's channels [{string.Join(", ", T4_1Cnn.Net.Channels)}]");
        ctx.Value("models_compared", rows.Count);
        var untimed = rows.Where(r => !(r.TrainSeconds > 0 && r.TestSeconds > 0)).Select(r => r.Name).ToList();
        ctx.Check("timings_ok", untimed.Count == 0, untimed.Count == 0 ? $"training and test time measured for all {rows.Count} networks" : $"no timing for {string.Join(", ", untimed)}");
        ctx.Value("min_final_test_accuracy", newRows.Min(r => r.TestAccuracy));
        foreach (var (v, r) in s.Variants.Zip(newRows)) ctx.Value(v.Name + "_test_accuracy", r.TestAccuracy);

        string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
        ctx.Table("comparison", $"All MLPs and CNNs: parameters, final test accuracy, training time ({s.Training.Epochs} epochs of {data.Train.Count:N0} images) and test time (one pass over {data.Test.Count:N0} images), on this machine's shared CPU; times vary with its load.",
            new[] { "network", "type", "layers", "parameters", "test accuracy", "training time (s)", "test time (ms)" },
            rows.Select(r => (IReadOnlyList<string>)new[] { r.Name, r.Kind, r.Shape, r.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                F(r.TestAccuracy, "P2"), F(r.TrainSeconds, "0.0"), F(1000 * r.TestSeconds, "0") }));
        var names = rows.Select(r => r.Name).ToArray();
        ctx.Figure("accuracy", "Final test accuracy of every MLP and CNN.",
            new BarChartSpec("Test accuracy per network", "network", "test accuracy (%)", names, new[] { new BarSeries("test accuracy", rows.Select(r => 100 * r.TestAccuracy).ToArray()) }));
        ctx.Figure("cost", "Parameters (×10⁵), training time (s) and test time (×10 ms) of every network.",
            new BarChartSpec("Size and time per network", "network", "value", names, new[]
            {
                new BarSeries("parameters (×10⁵)", rows.Select(r => r.Parameters / 1e5).ToArray()),
                new BarSeries("training time (s)", rows.Select(r => r.TrainSeconds).ToArray()),
                new BarSeries("test time (×10 ms)", rows.Select(r => 100 * r.TestSeconds).ToArray()),
            }));

        var mlps = rows.Where(r => r.Kind == "MLP").ToList(); var cnns = rows.Where(r => r.Kind == "CNN").ToList();
        var bestMlp = mlps.MaxBy(r => r.TestAccuracy)!; var bestCnn = cnns.MaxBy(r => r.TestAccuracy)!;
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The best CNN ({bestCnn.Name}, {bestCnn.TestAccuracy:P2}, {bestCnn.Parameters:N0} parameters) {(bestCnn.TestAccuracy > bestMlp.TestAccuracy ? "beats" : "does not beat")} the best MLP ({bestMlp.Name}, {bestMlp.TestAccuracy:P2}, {bestMlp.Parameters:N0} parameters)."));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The CNNs have on average {cnns.Average(r => (double)r.Parameters) / 1e3:0} thousand parameters against {mlps.Average(r => (double)r.Parameters) / 1e3:0} thousand for the MLPs, but take {cnns.Average(r => r.TrainSeconds) / mlps.Average(r => r.TrainSeconds):0.0}× the training time and {cnns.Average(r => r.TestSeconds) / mlps.Average(r => r.TestSeconds):0.0}× the test time: convolutions cost compute per parameter."));
    }
}
