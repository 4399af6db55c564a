using Harness.Tasks.Hw4.Models;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 1(c): MLPs with more capacity than 2-10-2-1, one wider (a single broad hidden layer) and one deeper (several narrow
/// layers) with about the same number of parameters, trained the same way; parameters, accuracies and decision boundaries.
/// </summary>
public sealed class Q1cCapacity : TaskDefinition<Q1cCapacity.Settings_>
{
    public sealed record Variant(string Name, int[] Hidden);
    public sealed record Settings_(Variant[] Variants, PointTrainSettings Training, int GridCells);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "1c";
    public override string Title => "Wider and deeper MLPs";
    public override string SeedText => "Set up an MLP with increased capacity and train it. Try at least two different setups trading off increased depth with increased width, and report training and test accuracy.";
    public override int Revision => 2;
    public override IReadOnlyList<string> DependsOn { get; } = new[] { "1a" };

    // Problem 1 is cheap: both profiles run the same (full) settings.
    public override Settings_ Settings(Profile profile) => new Settings_(
        new[] { new Variant("wider", new[] { 512 }), new Variant("deeper", new[] { 32, 32, 32, 32 }) },
        new PointTrainSettings("adam", LearningRate: 0.01, Epochs: 40, BatchSize: 250, Standardise: true, Schedule: "cosine"),
        GridCells: 200);

    public override bool DependsOnThreadCount => false;   // runs on one thread whatever the options say

    protected override double? Work(Settings_ s) => s.Variants.Length * s.Training.Work;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("hw4.1c.setups", "At least two setups are trained, one wider (fewer, broader layers) and one deeper (more, narrower layers).", 1, "depth_width_tradeoff"),
        Requirement.AtLeast("hw4.1c.best", "The best test accuracy of these setups", 3, "best_test_accuracy", Threshold.Both(0.995), ValueFormat.Percent),
    ];

    /// <summary>How close to an edge a test error counts as "at the edge" (units of the file's coordinates).</summary>
    private const double NearEdge = 5;

    /// <summary>The parameters of 1(b)'s network, counted on the model.</summary>
    private static long SigmoidParameters()
    {
        using var m = new SigmoidPentagonMlp();
        return ModelSummary.TotalParameters(m);
    }

    /// <summary>Distance to the nearest polygon edge of every misclassified point.</summary>
    private static double[] ErrorDistances(nn.Module<Tensor, Tensor> model, PointTraining.InputMap map, PointSet set)
    {
        var predicted = PointTraining.Predict(model, map, set.X);
        var truth = set.Y.flatten().data<double>().ToArray();
        var xy = set.X.data<double>().ToArray();
        return Enumerable.Range(0, truth.Length).Where(i => predicted[i] != truth[i]).Select(i => Pentagons.DistanceToEdges(xy[2 * i], xy[2 * i + 1])).ToArray();
    }

    protected override void Run(RunContext ctx, Settings_ s) => SingleThread.Run(() => RunSingleThreaded(ctx, s));

    private static void RunSingleThreaded(RunContext ctx, Settings_ s)
    {
        var (_, dep, folder) = ctx.Dependency<Q1aThresholdMlp>();
        var data = Pentagons.Load(Path.Combine(folder, dep.Artifacts[Q1aThresholdMlp.DataArtifact]));
        var map = new PointTraining.InputMap(data.Train, s.Training.Standardise);
        using var grid = Pentagons.GridPoints(s.GridCells);

        var rows = new List<(Variant V, long Params, PointTrainResult R)>();
        var errorDistances = new Dictionary<string, double[]>();
        foreach (var v in s.Variants)
        {
            manual_seed(ctx.Seed);
            using var model = new ReluMlp(v.Name, v.Hidden);
            long parameters = ModelSummary.TotalParameters(model);
            var r = ctx.Timed(v.Name, () => PointTraining.Train(ctx, $"1c {v.Name}", model, data, s.Training, ctx.Seed));
            ctx.Progress.Message($"1c {v.Name}: train {Show.Percent(r.TrainAccuracy)}, test {Show.Percent(r.TestAccuracy)} ({r.Seconds:0.0}s)");
            rows.Add((v, parameters, r));
            errorDistances[v.Name] = ErrorDistances(model, map, data.Test);
            ctx.Value($"{v.Name}_params", parameters);
            ctx.Value($"{v.Name}_train_accuracy", r.TrainAccuracy);
            ctx.Value($"{v.Name}_test_accuracy", r.TestAccuracy);
            ctx.Figure($"decision_boundary_{v.Name}", $"1(c): predicted label of the {v.Name} MLP (2-{string.Join("-", v.Hidden)}-1, test {Show.Percent(r.TestAccuracy)}) over the box, true pentagons outlined.",
                new RegionMapSpec($"ReLU MLP 2-{string.Join("-", v.Hidden)}-1 ({v.Name})", Pentagons.XMin, Pentagons.XMax, Pentagons.YMin, Pentagons.YMax,
                    Pentagons.ToRows(PointTraining.Predict(model, map, grid), s.GridCells), Pentagons.Polygons));
        }
        var depths = rows.Select(r => r.V.Hidden.Length).ToArray();
        var widths = rows.Select(r => r.V.Hidden.Max()).ToArray();
        var deepest = rows.MaxBy(r => r.V.Hidden.Length); var shallowest = rows.MinBy(r => r.V.Hidden.Length);
        var tradeoff = new Findings()
            .Expect(rows.Count >= 2, () => $"only {rows.Count} setup trained")
            .Expect(depths.Distinct().Count() >= 2, () => $"every setup has {depths[0]} hidden layer(s)")
            .Expect(deepest.V.Hidden.Max() < shallowest.V.Hidden.Max(), () => $"the deepest setup ({deepest.V.Name}) is not narrower than the shallowest ({shallowest.V.Name})");
        ctx.Check("depth_width_tradeoff", tradeoff, $"{shallowest.V.Name}: {shallowest.V.Hidden.Length} layer(s) of up to {shallowest.V.Hidden.Max()} units; {deepest.V.Name}: {deepest.V.Hidden.Length} layers of up to {deepest.V.Hidden.Max()}");
        var best = rows.MaxBy(r => r.R.TestAccuracy);
        ctx.Value("best_test_accuracy", best.R.TestAccuracy);

        ctx.Table("variants", string.Create(CultureInfo.InvariantCulture,
            $"1(c): the variants (ReLU hidden layers, standardised coordinates, Adam lr {s.Training.LearningRate} with cosine schedule, batch {s.Training.BatchSize}, {s.Training.Epochs} epochs), against 1(b)'s {SigmoidPentagonMlp.Shape} ({SigmoidParameters()} parameters)."),
            new[] { "variant", "layers", "hidden layers", "parameters", "final loss", "train acc.", "test acc.", "time (s)" },
            rows.Select(r => (IReadOnlyList<string>)new[]
            {
                r.V.Name, "2-" + string.Join("-", r.V.Hidden) + "-1", r.V.Hidden.Length.ToString(CultureInfo.InvariantCulture), r.Params.ToString("N0", CultureInfo.InvariantCulture),
                r.R.FinalLoss.ToString("0.0000", CultureInfo.InvariantCulture), Show.Percent(r.R.TrainAccuracy), Show.Percent(r.R.TestAccuracy), r.R.Seconds.ToString("0.0", CultureInfo.InvariantCulture),
            }));
        ctx.Figure("loss_curves", "1(c): training loss (BCE) per epoch of each variant.",
            new LineChartSpec("Wider vs deeper MLP", "epoch", "training loss (BCE)", rows.Select(r =>
                new LineSeries($"{r.V.Name} (2-{string.Join("-", r.V.Hidden)}-1)", Enumerable.Range(1, r.R.EpochLoss.Length).Select(e => (double)e).ToArray(), r.R.EpochLoss)).ToList(), LogY: true));

        var other = rows.First(r => r.V.Name != best.V.Name);
        var d = errorDistances[best.V.Name];
        double medianDistance = d.Length == 0 ? 0 : Q1bSigmoidMlp.Median(d);
        ctx.Value("best_error_median_distance", medianDistance);
        ctx.Value("best_errors_within_5", d.Count(x => x <= NearEdge));
        ctx.Observe(FormattableString.Invariant(
            $"The {best.V.Name} MLP ({best.Params:N0} parameters) reaches {Show.Percent(best.R.TestAccuracy)} test accuracy, the {other.V.Name} one ({other.Params:N0} parameters) {Show.Percent(other.R.TestAccuracy)}."));
        ctx.Observe(FormattableString.Invariant(
            $"The {best.V.Name} MLP's {d.Length} test errors lie at a median distance of {medianDistance:0.0} units from the nearest polygon edge ({d.Count(x => x <= NearEdge)} of them within {NearEdge} units, in a box {Pentagons.XMax - Pentagons.XMin:N0} units wide): what is left is the exact placement of the edges and corners."));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Train and test accuracy differ by at most {100 * rows.Max(r => Math.Abs(r.R.TrainAccuracy - r.R.TestAccuracy)):0.00} percentage points: with 50,000 points in two dimensions neither variant over-fits."));
    }
}
