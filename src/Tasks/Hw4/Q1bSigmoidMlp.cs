using Harness.Tasks.Hw4.Models;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 1(b): the 2-10-2-1 network with sigmoids, trained. First the seed's protocol five times (weights uniform between
/// the smallest and largest parameter of 1(a), raw coordinates, plain gradient descent), then the same network with
/// standardised inputs, PyTorch's default initialisation, Adam and a cosine schedule, five seeds.
/// </summary>
public sealed class Q1bSigmoidMlp : TaskDefinition<Q1bSigmoidMlp.Settings_>
{
    public sealed record Settings_(int Runs, PointTrainSettings SeedProtocol, PointTrainSettings Improved, int GridCells);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "1b";
    public override string Title => "The sigmoid 2-10-2-1 MLP trained by gradient descent";
    public override string SeedText => "Now replace the threshold activations by sigmoids and train the network with gradient descent, starting from a random initialization with values drawn uniformly between the largest and smallest parameter value in 1(a). Try multiple times (e.g. 5). Report training and test accuracy.";
    public override int Revision => 2;
    public override IReadOnlyList<string> DependsOn { get; } = new[] { "1a" };

    // Problem 1 is cheap: both profiles run the same (full) settings.
    public override Settings_ Settings(Profile profile) => new Settings_(Runs: 5,
        SeedProtocol: new PointTrainSettings("gd", LearningRate: 0.1, Epochs: 200, BatchSize: 50000, Standardise: false, Schedule: "constant"),
        Improved: new PointTrainSettings("adam", LearningRate: 0.05, Epochs: 40, BatchSize: 500, Standardise: true, Schedule: "cosine"),
        GridCells: 200);

    public override bool DependsOnThreadCount => false;   // runs on one thread whatever the options say

    protected override double? Work(Settings_ s) => s.Runs * (s.SeedProtocol.Work + s.Improved.Work);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var s = Settings(Profile.Full);
        return
        [
            Requirement.Exactly("hw4.1b.seed-runs", "The number of runs of the seed's protocol (uniform initialisation in 1(a)'s parameter range, raw inputs, gradient descent), each reported", 1, "seed_protocol_runs", s.Runs),
            Requirement.AtLeast("hw4.1b.best", $"With standardised inputs, Adam and a cosine schedule, the best test accuracy of {s.Runs} seeds of the same {SigmoidPentagonMlp.Shape} sigmoid network", 3,
                "improved_best_test_accuracy", Threshold.Both(0.98), ValueFormat.Percent),
            Requirement.AtLeast("hw4.1b.median", $"The median test accuracy of the {s.Runs} improved runs", 1, "improved_median_test_accuracy",
                Threshold.Both(0.699, "the best run of the seed's protocol"), ValueFormat.Percent, "the best run of the seed's protocol"),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s) => SingleThread.Run(() => RunSingleThreaded(ctx, s));

    private void RunSingleThreaded(RunContext ctx, Settings_ s)
    {
        var (_, dep, folder) = ctx.Dependency<Q1aThresholdMlp>();
        var data = Pentagons.Load(Path.Combine(folder, dep.Artifacts[Q1aThresholdMlp.DataArtifact]));
        double low = dep.Value("param_min"), high = dep.Value("param_max");

        var improvedRuns = Runs(ctx, data, s.Improved, s.Runs, s.GridCells, null, "improved");
        var seedRuns = Runs(ctx, data, s.SeedProtocol, s.Runs, s.GridCells, m => m.InitUniform(low, high), "seed protocol");

        ctx.Value("seed_protocol_runs", seedRuns.Count);
        Summarise(ctx, "seed_protocol_", seedRuns);
        Summarise(ctx, "improved_", improvedRuns);

        ctx.Table("runs", string.Create(CultureInfo.InvariantCulture,
            $"1(b): {Show.Word(s.Runs)} runs of each protocol. Seed protocol: weights uniform in [{low:N0}, {high:N0}], raw coordinates, full-batch gradient descent (lr {s.SeedProtocol.LearningRate}, {s.SeedProtocol.Epochs} steps). Improved: PyTorch default initialisation, standardised coordinates, Adam (lr {s.Improved.LearningRate}, cosine to 0), batch {s.Improved.BatchSize}, {s.Improved.Epochs} epochs."),
            new[] { "protocol", "run (seed)", "final loss", "train acc.", "test acc.", "time (s)" },
            seedRuns.Concat(improvedRuns).Select(r => (IReadOnlyList<string>)new[]
            {
                r.Protocol, $"{r.Run} ({r.Seed})", r.Result.FinalLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                Show.Percent(r.Result.TrainAccuracy), Show.Percent(r.Result.TestAccuracy), r.Result.Seconds.ToString("0.0", CultureInfo.InvariantCulture),
            }));

        var best = improvedRuns.MaxBy(r => r.Result.TestAccuracy)!;
        var bestSeed = seedRuns.MaxBy(r => r.Result.TestAccuracy)!;
        ctx.Figure("loss_curves", $"1(b): training loss (BCE) per epoch of the improved protocol's {Show.Word(s.Runs)} runs.",
            new LineChartSpec("Sigmoid 2-10-2-1, improved protocol", "epoch", "training loss (BCE)",
                improvedRuns.Select(r => new LineSeries($"run {r.Run}", Enumerable.Range(1, r.Result.EpochLoss.Length).Select(e => (double)e).ToArray(), r.Result.EpochLoss)).ToList()));
        ctx.Figure("decision_boundary_seed_protocol", $"1(b): predicted label over the box of the best seed-protocol run (run {bestSeed.Run}), true pentagons outlined.",
            new RegionMapSpec("Sigmoid MLP, seed protocol", Pentagons.XMin, Pentagons.XMax, Pentagons.YMin, Pentagons.YMax, Pentagons.ToRows(bestSeed.Grid, s.GridCells), Pentagons.Polygons));
        ctx.Figure("decision_boundary", $"1(b): predicted label over the box of the best improved run (run {best.Run}, test {Show.Percent(best.Result.TestAccuracy)}), true pentagons outlined.",
            new RegionMapSpec("Sigmoid MLP, improved protocol", Pentagons.XMin, Pentagons.XMax, Pentagons.YMin, Pentagons.YMax, Pentagons.ToRows(best.Grid, s.GridCells), Pentagons.Polygons));

        double majority = 1 - dep.Value("positive_fraction");
        double bestBound = FindRequirement("hw4.1b.best").Threshold!.Full;
        var seedTests = seedRuns.Select(r => r.Result.TestAccuracy).ToArray();
        ctx.Observe($"Seed protocol: test accuracy {Show.Percent(seedTests.Min())}–{Show.Percent(seedTests.Max())} over {Show.Word(s.Runs)} runs (predicting \"outside\" everywhere gives {Show.Percent(majority)}); " +
            (seedRuns.All(r => r.Result.EpochLoss[^1] >= r.Result.EpochLoss[0] * 0.9)
                ? "the loss barely moves: with weights of size ~10⁵ on inputs in the hundreds every sigmoid is saturated and its gradient vanishes."
                : "the loss falls, but the saturated sigmoids (weights of size ~10⁵ on inputs in the hundreds) keep most of the plane fixed."));
        ctx.Observe($"Improved protocol (same {SigmoidPentagonMlp.Shape} sigmoid network): test accuracy best {Show.Percent(best.Result.TestAccuracy)}, median {Show.Percent(Median(improvedRuns.Select(r => r.Result.TestAccuracy)))}, worst {Show.Percent(improvedRuns.Min(r => r.Result.TestAccuracy))}; " +
            $"{improvedRuns.Count(r => r.Result.TestAccuracy >= bestBound)} of {improvedRuns.Count} runs reach {Show.PercentBound(bestBound)}. Only the initialisation and batch order differ between the runs: the outcome depends on where gradient descent starts, which is why the seed asks for several tries.");
    }

    private sealed record Run_(string Protocol, int Run, int Seed, PointTrainResult Result, double[] Grid);

    private static List<Run_> Runs(RunContext ctx, PentagonData data, PointTrainSettings t, int runs, int gridCells, Action<SigmoidPentagonMlp>? init, string protocol)
    {
        var result = new List<Run_>();
        using var grid = Pentagons.GridPoints(gridCells);
        var map = new PointTraining.InputMap(data.Train, t.Standardise);
        for (int run = 1; run <= runs; run++)
        {
            int seed = ctx.Seed + run - 1;
            manual_seed(seed);
            using var model = new SigmoidPentagonMlp();
            init?.Invoke(model);
            var r = ctx.Timed(protocol, () => PointTraining.Train(ctx, $"1b {protocol} run {run}", model, data, t, seed));
            ctx.Progress.Message($"1b {protocol} run {run}: train {Show.Percent(r.TrainAccuracy)}, test {Show.Percent(r.TestAccuracy)} ({r.Seconds:0.0}s)");
            result.Add(new Run_(protocol, run, seed, r, PointTraining.Predict(model, map, grid)));
        }
        return result;
    }

    private static void Summarise(RunContext ctx, string prefix, List<Run_> runs)
    {
        ctx.Value(prefix + "best_test_accuracy", runs.Max(r => r.Result.TestAccuracy));
        ctx.Value(prefix + "median_test_accuracy", Median(runs.Select(r => r.Result.TestAccuracy)));
        ctx.Value(prefix + "best_train_accuracy", runs.Max(r => r.Result.TrainAccuracy));
        ctx.Value(prefix + "median_train_accuracy", Median(runs.Select(r => r.Result.TrainAccuracy)));
    }

    internal static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

}
