using Harness.Core.Analysis;
using Harness.Tasks.Ex08.Models;

namespace Harness.Tasks.Ex08;

/// <summary>Q2: t-SNE of the baseline's fc1 features (128-d, after ReLU) of the training images, checked first on synthetic clusters.</summary>
public sealed class Q2Tsne : TaskDefinition<Q2Tsne.Settings_>
{
    public sealed record Settings_(int Points, double Perplexity, int Iterations, double EarlyExaggeration, int ExaggerationIterations,
        double Theta, int Knn, int TrustworthinessK, int TrustworthinessMaxPoints,
        int SyntheticClusters, int SyntheticPerCluster, int SyntheticDim, double SyntheticSeparation);

    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "2";
    public override string Title => "t-SNE of the fc1 features";
    public override string SeedText => "Map the features of the first fully-connected layer (128-d) of all training images onto a plane with t-SNE and plot them with one colour per class.";
    public override IReadOnlyList<string> DependsOn => new[] { "1.2" };

    /// <summary>Full: every one of the 60,000 training images (Barnes–Hut); smoke: a stratified 2,000. The t-SNE settings are the usual ones either way.</summary>
    public override Settings_ Settings(Profile profile) => new Settings_(profile == Profile.Full ? 60000 : 2000,
        Perplexity: 30, Iterations: 1000, EarlyExaggeration: 12, ExaggerationIterations: 250, Theta: 0.5, Knn: 10,
        TrustworthinessK: 10, TrustworthinessMaxPoints: 5000,
        SyntheticClusters: 10, SyntheticPerCluster: 50, SyntheticDim: 50, SyntheticSeparation: 3);

    protected override double? Work(Settings_ s) => WorkVolume.Evaluation(s.Points) + s.Iterations * s.Points * Math.Log2(s.Points);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var (full, smoke) = (Settings(Profile.Full), Settings(Profile.Smoke));
        return
        [
            Requirement.AtLeast("ex08.2.synthetic", $"On {full.SyntheticClusters} well-separated Gaussian clusters ({full.SyntheticClusters * full.SyntheticPerCluster} points, {full.SyntheticDim}-d, exact t-SNE) the {full.Knn}-NN accuracy in the 2-D embedding",
                1, "synthetic_knn_accuracy", Threshold.Both(0.99), ValueFormat.Percent),
            Requirement.AtLeast("ex08.2.knn", $"{full.Knn}-NN accuracy of the training labels in the 2-D embedding of the fc1 features ({Show.Count(full.Points)} points at full)",
                2, "embedding_knn_accuracy", new Threshold(0.85, 0.80, $"{Show.Count(smoke.Points)} points of the smoke baseline"), ValueFormat.Percent),
            Requirement.AtLeast("ex08.2.trustworthiness", $"Trustworthiness (k = {full.TrustworthinessK}) of the embedding", 1, "trustworthiness",
                new Threshold(0.90, 0.90, $"{Show.Count(smoke.Points)} points"), ValueFormat.Decimal(4)),
            Requirement.Holds("ex08.2.kl", "The final KL divergence is recorded, finite, and lower than when early exaggeration ended.", 0.5, "kl_falls"),
            Requirement.Holds("ex08.2.figure", "A scatter plot shows every embedded image, one colour per class with a legend of class names.", 0.5, "scatter_ok"),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var tsne = new Tsne.Settings(s.Perplexity, s.Iterations, s.EarlyExaggeration, s.ExaggerationIterations, Theta: s.Theta);

        // 1. Known answer first: separated Gaussian clusters, exact gradients.
        var (sx, sl) = SyntheticClusters.Gaussian(s.SyntheticClusters, s.SyntheticPerCluster, s.SyntheticDim, s.SyntheticSeparation, ctx.Seed);
        int sn = sl.Length;
        var synthetic = ctx.Timed("synthetic_tsne", () => Tsne.Embed(sx, sn, s.SyntheticDim, tsne with { BarnesHut = false }, ctx.Seed));
        var syntheticKnn = NeighbourhoodMetrics.KnnAccuracy(synthetic.Embedding, sn, 2, sl, s.Knn);
        ctx.Value("synthetic_knn_accuracy", syntheticKnn);
        ctx.Value("synthetic_kl_divergence", synthetic.KlDivergence);
        var names = Enumerable.Range(0, s.SyntheticClusters).Select(c => $"cluster {c}").ToArray();
        ctx.Figure("synthetic", $"Exact t-SNE of {sn} points from {s.SyntheticClusters} Gaussian clusters in {s.SyntheticDim}-d (check of the implementation).",
            Scatter("t-SNE of synthetic clusters", synthetic.Embedding, sl, names));

        // 2. fc1 features of the training images under the baseline's weights.
        var (model, data) = BaselineModel.Load(ctx);
        using var _ = model;
        var train = ctx.Data.FashionMnist().Train;
        long[] rows = s.Points >= train.Count ? Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray()
            : Splits.StratifiedSubset(train.LabelArray(), s.Points, ctx.Seed);
        var images = train.Subset(rows, "t-SNE images");
        var labels = images.LabelArray();
        int n = images.Count;
        var features = ctx.Timed("features", () => Features(model, images, data.Mean, data.Std, ctx.Device));
        const int dim = MnistExampleCnn.Hidden;
        ctx.Value("points", n);
        var featureKnn = NeighbourhoodMetrics.KnnAccuracy(features, n, dim, labels, s.Knn);
        ctx.Value("feature_knn_accuracy", featureKnn);

        // Barnes–Hut at both profiles, so the smoke run exercises the code path of the full one.
        var result = ctx.Timed("tsne", () => Tsne.Embed(features, n, dim, tsne with { BarnesHut = true }, ctx.Seed,
            (it, kl) => ctx.Progress.Message($"t-SNE iteration {it}/{s.Iterations}: KL {kl:0.0000}")));
        ctx.Value("barnes_hut", result.BarnesHut ? 1 : 0);
        ctx.Value("kl_divergence", result.KlDivergence);
        var afterExaggeration = result.History.First(h => h.Iteration > s.ExaggerationIterations).Kl;
        ctx.Value("kl_after_exaggeration", afterExaggeration);
        ctx.Check("kl_falls", double.IsFinite(result.KlDivergence) && result.KlDivergence < afterExaggeration,
            string.Create(CultureInfo.InvariantCulture, $"KL {afterExaggeration:0.0000} after early exaggeration, {result.KlDivergence:0.0000} at the end"));
        ctx.TimeSection("tsne_affinities_seconds", result.AffinitySeconds);
        ctx.TimeSection("tsne_optimisation_seconds", result.OptimisationSeconds);
        ctx.Series("kl_history", result.History.Select(h => h.Kl));
        ctx.Figure("kl", $"KL divergence of the t-SNE layout every {Tsne.HistoryEvery} iterations (early exaggeration inflates it until iteration "
            + s.ExaggerationIterations.ToString(CultureInfo.InvariantCulture) + ").",
            new LineChartSpec("t-SNE KL divergence", "iteration", "KL(P‖Q)", new[] { new LineSeries("KL", result.History.Select(h => (double)h.Iteration).ToArray(), result.History.Select(h => h.Kl).ToArray()) }));

        var predicted = NeighbourhoodMetrics.KnnPredictions(result.Embedding, n, 2, labels, s.Knn);
        var embeddingKnn = Classification.Accuracy(predicted, labels);
        ctx.Value("embedding_knn_accuracy", embeddingKnn);
        var (trust, used) = ctx.Timed("trustworthiness", () =>
            NeighbourhoodMetrics.Trustworthiness(features, dim, result.Embedding, 2, n, s.TrustworthinessK, s.TrustworthinessMaxPoints, ctx.Seed));
        ctx.Value("trustworthiness", trust);
        ctx.Value("trustworthiness_points", used);

        var scatter = Scatter($"t-SNE of fc1 features ({n:N0} training images)", result.Embedding, labels, train.ClassNames.ToArray());
        ctx.Figure("tsne", $"t-SNE of the {dim}-d fc1 features of {n:N0} Fashion-MNIST training images (baseline weights), one colour per class; perplexity {s.Perplexity}, {(result.BarnesHut ? $"Barnes–Hut θ = {s.Theta}" : "exact")}, final KL {result.KlDivergence:0.000}.", scatter);
        int classes = train.NumClasses, shownClasses = labels.Distinct().Count();
        ctx.Check("scatter_ok", scatter.X.Length == n && scatter.ClassNames.Length == classes && shownClasses == classes,
            $"{Show.Count(scatter.X.Length)} of {Show.Count(n)} embedded images drawn, {shownClasses} classes coloured, a legend of {scatter.ClassNames.Length} class names");

        // Which classes mix in the plane: the 2-D k-NN confusion.
        int k = train.NumClasses;
        var confusion = Classification.ConfusionMatrix(predicted, labels, k);
        var perClass = Classification.PerClassAccuracy(confusion);
        ctx.Table("per_class", $"{s.Knn}-NN accuracy per class in the 2-D embedding (leave-one-out majority of the {s.Knn} nearest embedded images).",
            new[] { "class", "images", $"{s.Knn}-NN accuracy in 2-D" },
            Enumerable.Range(0, k).Select(c => (IReadOnlyList<string>)new[] { train.ClassNames[c], labels.Count(l => l == c).ToString("N0", CultureInfo.InvariantCulture), Show.Percent(perClass[c]) }));
        var pairs = from a in Enumerable.Range(0, k) from b in Enumerable.Range(0, k) where a < b
                    select (a, b, mixed: confusion[a, b] + confusion[b, a]);
        var worst = pairs.OrderByDescending(p => p.mixed).Take(3).ToList();
        ctx.Observe($"In the plane the classes mix most between " + string.Join(", ", worst.Select(p => $"{train.ClassNames[p.a]} and {train.ClassNames[p.b]} ({p.mixed} neighbour votes lost)"))
            + $"; the best separated class is {train.ClassNames[Array.IndexOf(perClass, perClass.Max())]} ({Show.Percent(perClass.Max())} {s.Knn}-NN accuracy), the worst {train.ClassNames[Array.IndexOf(perClass, perClass.Min())]} ({Show.Percent(perClass.Min())}).");
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"{s.Knn}-NN accuracy is {Show.Percent(embeddingKnn)} in the 2-D embedding against {Show.Percent(featureKnn)} in the {dim}-d features; trustworthiness (k = {s.TrustworthinessK}) is {trust:0.0000} on {used:N0} points: the plane keeps the local neighbourhoods."));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"On the synthetic clusters the exact t-SNE gives {s.Knn}-NN accuracy {Show.Percent(syntheticKnn)} in the plane (final KL {synthetic.KlDivergence:0.000}): {(syntheticKnn >= Requirements[0].Threshold!.Full ? "the clusters stay apart" : "clusters mix")}."));
        images.Images.Dispose(); images.Labels.Dispose();
    }


    private static ScatterSpec Scatter(string title, float[] embedding, long[] labels, string[] classNames) =>
        new(title, "t-SNE 1", "t-SNE 2",
            Enumerable.Range(0, labels.Length).Select(i => embedding[2 * i]).ToArray(),
            Enumerable.Range(0, labels.Length).Select(i => embedding[2 * i + 1]).ToArray(),
            labels.Select(l => (int)l).ToArray(), classNames);

    /// <summary>fc1 activations after ReLU (the "fc1_features" step of the trace), eval mode, in batches.</summary>
    private static float[] Features(MnistExampleCnn model, ImageDataSet images, float mean, float std, Device device)
    {
        int dim = MnistExampleCnn.Hidden;
        var result = new float[images.Count * dim];
        int at = 0;
        model.eval();
        using (no_grad())
            foreach (var idx in Batches.Sequential(images.Count, 1000))
            {
                using var scope = NewDisposeScope();
                var x = images.Images.index_select(0, tensor(idx)).sub(mean).div(std).to(device);
                var f = model.Trace(x).First(t => t.Name == "fc1_features").Output.cpu().contiguous();
                f.data<float>().CopyTo(result, at);
                at += idx.Length * dim;
            }
        return result;
    }
}
