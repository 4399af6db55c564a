using Harness.Core.Analysis;

namespace Harness.Tasks.Cm500335;

/// <summary>
/// Task 1: PCA of the (scaled, vectorised) MNIST training images to 2-D, a scatter by class, and — to answer
/// "which classes can be linearly separated" with numbers — a linear classifier in the 2-D space for every pair of classes.
/// </summary>
public sealed class T1Pca : TaskDefinition<T1Pca.Settings_>
{
    /// <param name="TrainImages">images PCA is fitted on (null: all 60,000)</param>
    /// <param name="ScatterPoints">points drawn in the scatter (a stratified subset; the fit uses all)</param>
    /// <param name="SeparableAbove">a pair counts as linearly separable in 2-D when its training accuracy exceeds this</param>
    /// <param name="NewtonSteps">Newton steps of the per-pair logistic regression</param>
    /// <param name="Ridge">L2 penalty that keeps the logistic weights finite on separable pairs</param>
    public sealed record Settings_(MnistSizes Data, int ScatterPoints, double SeparableAbove, int NewtonSteps, double Ridge);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "1";
    public override string Title => "PCA of MNIST and linear separability of digit pairs";
    public override string SeedText => "Scale the MNIST training images with x/127.5 − 1, vectorise them and project them to two dimensions with PCA. Plot the projection coloured by class, report how much variance the two components explain, and discuss which classes can be linearly separated in this space.";
    public override Settings_ Settings(Profile profile) => profile == Profile.Full
        ? new Settings_(new MnistSizes(null, null), 5000, 0.99, 25, 1e-3)
        : new Settings_(new MnistSizes(10000, 2000), 3000, 0.99, 25, 1e-3);

    /// <summary>MNIST's known explained-variance ratios of the first two components, and how close ours must be.</summary>
    private const double KnownPc1 = 0.097, KnownPc2 = 0.071, VarianceTolerance = 0.01;
    private const int Digits = 10;

    protected override double? Work(Settings_ s) => WorkVolume.Evaluation(s.Data.TrainCount + s.Data.TestCount);

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        new Requirement("cm500335.1.variance", $"The explained-variance ratios of PC1 and PC2 are reported, in decreasing order, and agree with MNIST's known {Show.PercentBound(KnownPc1)} and {Show.PercentBound(KnownPc2)} within {100 * VarianceTolerance:0.##} point.", 1,
            r =>
            {
                double a = r.Value("explained_variance_ratio_pc1"), b = r.Value("explained_variance_ratio_pc2");
                return Verdict.Of(a >= b && Math.Abs(a - KnownPc1) <= VarianceTolerance && Math.Abs(b - KnownPc2) <= VarianceTolerance,
                    $"PC1 {Show.Percent(a)}, PC2 {Show.Percent(b)}", $"PC1 ≥ PC2, {Show.PercentBound(KnownPc1)} ± {100 * VarianceTolerance:0.##}, {Show.PercentBound(KnownPc2)} ± {100 * VarianceTolerance:0.##}");
            }) { Value = "explained_variance_ratio_pc1" },
        Requirement.AtMost("cm500335.1.orthonormal", "The largest entry of |CCᵀ − I| for the two components (they are orthonormal)", 1,
            "orthonormality_error", Threshold.Both(1e-9), ValueFormat.Scientific),
        Requirement.AtLeast("cm500335.1.svd", "The smallest |cosine| between matching components of PCA by covariance eigendecomposition and of an SVD of the centred data", 0.5,
            "svd_min_abs_cosine", Threshold.Both(0.9999), ValueFormat.Decimal(6)),
        Requirement.Exactly("cm500335.1.pairs", $"The number of digit pairs with a linear classifier fitted in the 2-D space (shown as a {Digits}×{Digits} figure)", 1, "pairs_fitted", Digits * (Digits - 1) / 2),
        Requirement.AtLeast("cm500335.1.separable", "The training accuracy of the line that separates 0 from 1 in 2-D (PC1 alone splits them; every separable pair is listed)", 1,
            "pair_accuracy_0_1", Threshold.Both(Settings(Profile.Full).SeparableAbove), ValueFormat.Percent),
        Requirement.Holds("cm500335.1.scatter", "A scatter of the 2-D projection shows every class in its own colour with a legend.", 0.5, "scatter_ok"),
    ];

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = Cm500335Data.Mnist(ctx, s.Data);
        Cm500335Data.RecordSizes(ctx, data);
        using var x = data.Train.Images.flatten(1);
        using var xTest = data.Test.Images.flatten(1);
        using var pca = ctx.Timed("pca", () => Pca.Fit(x, 2));
        var ratio = pca.ExplainedVarianceRatio;
        ctx.Value("explained_variance_ratio_pc1", ratio[0]);
        ctx.Value("explained_variance_ratio_pc2", ratio[1]);
        ctx.Value("explained_variance_ratio_total", ratio[0] + ratio[1]);
        ctx.Value("orthonormality_error", pca.OrthonormalityError());
        ctx.Value("svd_min_abs_cosine", SvdAgreement(x, pca));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"PC1 explains {ratio[0]:P1} and PC2 {ratio[1]:P1} of the pixel variance ({ratio[0] + ratio[1]:P1} together): most of the information is lost in 2-D."));

        using var z = pca.Transform(x);
        using var zTest = pca.Transform(xTest);
        var labels = data.Train.LabelArray();
        var testLabels = data.Test.LabelArray();
        ScatterFigure(ctx, z, labels, s);
        Centroids(ctx, z, labels);

        // A logistic-regression line for every pair, judged by its accuracy on the pair's points (separability) and on the test points.
        var train = new double[10][]; var test = new double[10][];
        for (int i = 0; i < 10; i++) { train[i] = new double[10]; test[i] = new double[10]; train[i][i] = double.NaN; test[i][i] = double.NaN; }
        int fitted = 0;
        for (int a = 0; a < 10; a++)
            for (int b = a + 1; b < 10; b++)
            {
                var (accTrain, accTest) = PairClassifier(z, labels, zTest, testLabels, a, b, s);
                train[a][b] = train[b][a] = accTrain;
                test[a][b] = test[b][a] = accTest;
                ctx.Value($"pair_accuracy_{a}_{b}", accTrain);
                ctx.Value($"pair_test_accuracy_{a}_{b}", accTest);
                fitted++;
            }
        ctx.Value("pairs_fitted", fitted);
        var names = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        ctx.Figure("pair_accuracy", "Accuracy (%) of a linear classifier (logistic regression) in the 2-D PCA space for every pair of digits, on the training points.",
            new HeatmapSpec("Pairwise linear separability in 2-D (train accuracy, %)", train.Select(r => r.Select(v => 100 * v).ToArray()).ToArray(), names, names, "digit", "digit", "0.0"));

        var pairs = (from a in Enumerable.Range(0, 10) from b in Enumerable.Range(a + 1, 9 - a) select (a, b)).ToList();
        var separable = pairs.Where(p => train[p.a][p.b] > s.SeparableAbove).OrderByDescending(p => train[p.a][p.b]).ToList();
        ctx.Value("separable_pairs", separable.Count);
        ctx.Table("separable_pairs", $"Digit pairs that a line in the 2-D PCA space separates with more than {s.SeparableAbove:P0} training accuracy ({separable.Count} of 45), with the same line's test accuracy.",
            new[] { "pair", "train accuracy", "test accuracy" },
            separable.Select(p => (IReadOnlyList<string>)new[] { $"{p.a} vs {p.b}", Show.PercentSpaced(train[p.a][p.b]), Show.PercentSpaced(test[p.a][p.b]) }));
        var worst = pairs.OrderBy(p => train[p.a][p.b]).Take(3).ToList();
        ctx.Observe($"{separable.Count} of the 45 pairs are linearly separable above {s.SeparableAbove:P0} in 2-D: {string.Join(", ", separable.Select(p => $"{p.a}/{p.b}"))}.");
        ctx.Observe($"The hardest pairs are {string.Join(", ", worst.Select(p => $"{p.a}/{p.b} ({Show.PercentSpaced(train[p.a][p.b])})"))}: their clusters overlap in the first two components.");
        ctx.Observe($"The mean pairwise accuracy is {Show.PercentSpaced(pairs.Average(p => train[p.a][p.b]))} on the training points and {Show.PercentSpaced(pairs.Average(p => test[p.a][p.b]))} on the test points, so the lines generalise.");
    }


    /// <summary>The smallest |cosine| between each eigh component and the matching right-singular vector of the centred data.</summary>
    private static double SvdAgreement(Tensor x, Pca pca)
    {
        using var scope = NewDisposeScope();
        var centred = x.to_type(ScalarType.Float64) - pca.Mean;
        var (_, _, vh) = linalg.svd(centred, fullMatrices: false);
        var cos = (vh.narrow(0, 0, 2) * pca.Components).sum(1).abs();
        return cos.min().item<double>();
    }

    private static void ScatterFigure(RunContext ctx, Tensor z, long[] labels, Settings_ s)
    {
        var idx = Splits.StratifiedSubset(labels, s.ScatterPoints, ctx.Seed);
        using var pts = z.index_select(0, tensor(idx)).to_type(ScalarType.Float32);
        var xs = pts[.., 0].data<float>().ToArray();
        var ys = pts[.., 1].data<float>().ToArray();
        var classes = idx.Select(i => (int)labels[i]).ToArray();
        ctx.Figure("pca_scatter", $"MNIST training images projected on the first two principal components ({idx.Length:N0} points, stratified sample), coloured by digit.",
            new ScatterSpec("MNIST in the first two principal components", "PC1", "PC2", xs, ys, classes, Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray()));
        ctx.Check("scatter_ok", new Findings()
                .Expect(classes.Distinct().Count() == Digits, () => $"{classes.Distinct().Count()} of {Digits} digits appear in the scatter")
                .Expect(xs.All(float.IsFinite) && ys.All(float.IsFinite), "some projected coordinates are not finite"),
            $"{Show.Count(xs.Length)} points of all {Digits} digits, each digit its own colour, with a legend");
    }

    private static void Centroids(RunContext ctx, Tensor z, long[] labels)
    {
        var rows = new List<IReadOnlyList<string>>();
        using var lab = tensor(labels);
        for (int c = 0; c < 10; c++)
        {
            using var scope = NewDisposeScope();
            var m = z[lab.eq(c)];
            var mean = m.mean(new long[] { 0 }); var sd = m.std(0);
            rows.Add(new[] { c.ToString(CultureInfo.InvariantCulture), F(mean[0]), F(mean[1]), F(sd[0]), F(sd[1]) });
        }
        ctx.Table("class_centroids", "Mean and standard deviation of each digit's coordinates on PC1 and PC2 (training images).",
            new[] { "digit", "mean PC1", "mean PC2", "s.d. PC1", "s.d. PC2" }, rows);
        static string F(Tensor t) => t.item<double>().ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>Logistic regression on standardised 2-D points of classes a and b by damped Newton steps; (train, test) accuracy.</summary>
    private static (double Train, double Test) PairClassifier(Tensor z, long[] labels, Tensor zTest, long[] testLabels, int a, int b, Settings_ s)
    {
        using var scope = NewDisposeScope();
        (Tensor X, Tensor Y) Pair(Tensor pts, long[] lab)
        {
            var idx = Enumerable.Range(0, lab.Length).Where(i => lab[i] == a || lab[i] == b).Select(i => (long)i).ToArray();
            var y = tensor(idx.Select(i => lab[i] == b ? 1.0 : 0.0).ToArray(), dtype: ScalarType.Float64);
            return (pts.index_select(0, tensor(idx)), y);
        }
        var (xt, yt) = Pair(z, labels);
        var (xv, yv) = Pair(zTest, testLabels);
        var mean = xt.mean(new long[] { 0 }); var sd = xt.std(0);
        Tensor Design(Tensor p) => cat(new[] { (p - mean) / sd, ones(p.shape[0], 1, dtype: ScalarType.Float64) }, 1);
        var X = Design(xt); var Xv = Design(xv);
        var w = zeros(3, dtype: ScalarType.Float64);
        var ridge = eye(3, dtype: ScalarType.Float64) * s.Ridge * X.shape[0];
        for (int it = 0; it < s.NewtonSteps; it++)
        {
            var p = sigmoid(X.matmul(w));
            var grad = X.t().matmul(p - yt) + ridge.matmul(w);
            var h = (X * (p * (1 - p)).unsqueeze(1)).t().matmul(X) + ridge;
            w = w - linalg.solve(h, grad);
        }
        double Acc(Tensor design, Tensor y) => design.matmul(w).gt(0).to_type(ScalarType.Float64).eq(y).to_type(ScalarType.Float64).mean().item<double>();
        return (Acc(X, yt), Acc(Xv, yv));
    }
}
