namespace Harness.Tasks.Cm500335;

/// <summary>Task 2.2: the perceptron of 2.1 on all 45 digit pairs: weights, error curves, test accuracies, and five pairs in a table.</summary>
public sealed class T2_2PerceptronPairs : TaskDefinition<T2_2PerceptronPairs.Settings_>
{
    /// <param name="TrainPerDigit">training images of each digit per pair (null: all of them)</param>
    /// <param name="TablePairs">the five pairs of the table, fixed before training (easy to hard by shape similarity)</param>
    public sealed record Settings_(MnistSizes Data, int? TrainPerDigit, Perceptron.Settings Perceptron, int[][] TablePairs);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "2.2";
    public override string Title => "Perceptrons on all digit pairs";
    public override string SeedText => "Train perceptrons on all digit pairs and plot all weight visualisations, error curves and test accuracy graphs; tabulate the results of five pairs.";
    public override int Revision => 1;

    static readonly int[][] Five = { new[] { 0, 1 }, new[] { 1, 7 }, new[] { 3, 8 }, new[] { 4, 9 }, new[] { 5, 6 } };
    public override Settings_ Settings(Profile profile) => profile == Profile.Full
        ? new Settings_(new MnistSizes(null, null), null, new Perceptron.Settings(), Five)
        : new Settings_(new MnistSizes(10000, 2000), 300, new Perceptron.Settings(MaxIterations: 300), Five);

    protected override double? Work(Settings_ s) => 45 * WorkVolume.Training(s.Perceptron.MaxIterations, 2L * (s.TrainPerDigit ?? s.Data.TrainCount / 10));

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var (full, smoke) = (Settings(Profile.Full), Settings(Profile.Smoke));
        const int digits = 10, pairs = digits * (digits - 1) / 2;
        return
        [
            Requirement.Exactly("cm500335.2.2.pairs", "The number of digit pairs a perceptron is trained for (all of them)", 1, "pairs_trained", pairs),
            Requirement.Holds("cm500335.2.2.figures", $"All {pairs} weight images, error curves and test accuracies are plotted, with a {digits}×{digits} figure of the pair accuracies.", 1, "figures_ok"),
            Requirement.Exactly("cm500335.2.2.table", "The number of pairs whose iterations, training error and test accuracy are tabulated", 1, "table_rows", full.TablePairs.Length),
            Requirement.AtLeast("cm500335.2.2.zero-one", "Test accuracy on 0 vs 1 here too", 0.5, "test_accuracy_0_1",
                new Threshold(0.995, 0.99, $"{smoke.TrainPerDigit} training images per digit"), ValueFormat.Percent),
            Requirement.AtLeast("cm500335.2.2.mean", $"The mean test accuracy over the {pairs} pairs", 1, "mean_test_accuracy",
                new Threshold(0.95, 0.95, $"{smoke.TrainPerDigit} images per digit and {smoke.Perceptron.MaxIterations} iterations"), ValueFormat.Percent),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = Cm500335Data.Mnist(ctx, s.Data);
        var acc = new double[10][];
        for (int i = 0; i < 10; i++) { acc[i] = new double[10]; acc[i][i] = double.NaN; }
        var results = new Dictionary<(int, int), (Perceptron.Result R, double Test, long TrainN)>();
        for (int a = 0; a < 10; a++)
            for (int b = a + 1; b < 10; b++)
            {
                var (x, y) = TrainPair(data.Train, a, b, s.TrainPerDigit, ctx.Seed);
                var (xt, yt) = Perceptron.Pair(data.Test, a, b);
                using (x) using (y) using (xt) using (yt)
                {
                    var r = ctx.Timed("training", () => Perceptron.Optimise(x, y, s.Perceptron, ctx.Seed * 100L + a * 10 + b));
                    var test = Perceptron.Accuracy(r, xt, yt);
                    results[(a, b)] = (r, test, x.shape[0]);
                    acc[a][b] = acc[b][a] = test;
                    ctx.Value($"test_accuracy_{a}_{b}", test);
                    ctx.Value($"iterations_{a}_{b}", r.Iterations);
                }
            }
        ctx.Value("pairs_trained", results.Count);
        var mean = results.Values.Average(v => v.Test);
        ctx.Value("mean_test_accuracy", mean);
        ctx.Value("converged_pairs", results.Values.Count(v => v.R.Converged));

        var digits = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var keys = results.Keys.OrderBy(k => k).ToList();
        string Name((int A, int B) k) => $"{k.A} vs {k.B}";
        ctx.Figure("pair_accuracy", "Test accuracy (%) of the perceptron for every pair of digits (symmetric).",
            new HeatmapSpec("Perceptron test accuracy per digit pair (%)", acc.Select(r => r.Select(v => 100 * v).ToArray()).ToArray(), digits, digits, "digit", "digit", "0.0"));
        ctx.Figure("test_accuracy_bars", "Test accuracy of the perceptron for each of the 45 digit pairs.",
            new BarChartSpec("Perceptron test accuracy per pair", "pair", "test accuracy (%)", keys.Select(Name).ToArray(),
                new[] { new BarSeries("test accuracy", keys.Select(k => 100 * results[k].Test).ToArray()) }));
        ctx.Figure("weights", "The weights w of all 45 perceptrons as 28×28 images (each min–max scaled; bright pixels vote for the second digit of the pair).",
            new ImageGridSpec("Perceptron weights per pair", 28, 28, 1, 9,
                keys.Select(k => new GridImage(Name(k), results[k].R.W.Select(v => (float)v).ToArray())).ToList(), Normalize: true));
        // Error curves grouped by the first digit of the pair, so that each chart has a readable legend.
        int charts = 0;
        foreach (var group in keys.GroupBy(k => k.Item1 / 3))
        {
            var series = group.Select(k => new LineSeries(Name(k), Enumerable.Range(0, results[k].R.Errors.Length).Select(i => (double)i).ToArray(),
                results[k].R.Errors.Select(e => Math.Max(e, 1e-5)).ToArray())).ToList();
            var first = group.First().Item1; var last = group.Last().Item1;
            ctx.Figure($"error_curves_{group.Key}", $"Training error per iteration of the perceptrons whose first digit is {first}–{last} (log scale).",
                new LineChartSpec($"Perceptron training error (first digit {first}–{last})", "iteration", "training error (fraction)", series, LogY: true));
            charts++;
        }
        int pairCount = 10 * 9 / 2;
        ctx.Check("figures_ok", new Findings()
                .Expect(charts > 0, "no error-curve chart")
                .Expect(keys.Count == pairCount, () => $"{keys.Count} of {pairCount} pairs plotted")
                .Expect(results.Values.All(v => v.R.W.Length == 784), "a weight vector is not 784 long"),
            $"{keys.Count} weight images, {charts} error-curve charts, a test-accuracy bar chart and a 10×10 heatmap");

        var five = s.TablePairs.Select(p => (p[0], p[1])).ToList();
        ctx.Table("five_pairs", "Five digit pairs, from easy to hard: iterations until the error is ≤ 1e-3 (or the limit), final training error and test accuracy.",
            new[] { "pair", "training images", "iterations", "final training error", "test accuracy" },
            five.Select(k => (IReadOnlyList<string>)new[]
            {
                Name(k), results[k].TrainN.ToString("N0", CultureInfo.InvariantCulture),
                results[k].R.Iterations.ToString(CultureInfo.InvariantCulture) + (results[k].R.Converged ? "" : " (limit)"),
                results[k].R.Errors[^1].ToString("0.0000", CultureInfo.InvariantCulture), results[k].Test.ToString("P2", CultureInfo.InvariantCulture),
            }));
        ctx.Value("table_rows", five.Count);
        ctx.Value("test_accuracy_0_1", results[(0, 1)].Test);

        var best = keys.OrderByDescending(k => results[k].Test).Take(3).ToList();
        var worst = keys.OrderBy(k => results[k].Test).Take(3).ToList();
        ctx.Observe(string.Create(CultureInfo.InvariantCulture, $"The mean test accuracy over the 45 pairs is {mean:P2}; {results.Values.Count(v => v.R.Converged)} of 45 perceptrons reach a training error ≤ 1e-3 within {s.Perceptron.MaxIterations} iterations."));
        ctx.Observe($"Easiest pairs: {string.Join(", ", best.Select(k => $"{Name(k)} ({results[k].Test:P2})"))}; hardest: {string.Join(", ", worst.Select(k => $"{Name(k)} ({results[k].Test:P2})"))} — digits whose strokes overlap are not linearly separable in pixel space, and the perceptron keeps oscillating.");
    }

    /// <summary>The training images of the pair, limited to a stratified, seeded subset of <paramref name="perDigit"/> images per digit.</summary>
    private static (Tensor X, Tensor Y) TrainPair(ImageDataSet train, int a, int b, int? perDigit, int seed)
    {
        var (x, y) = Perceptron.Pair(train, a, b);
        if (perDigit is null) return (x, y);
        var labels = y.data<double>().Select(v => (long)(v > 0 ? 1 : 0)).ToArray();
        var idx = Splits.StratifiedSubset(labels, 2 * perDigit.Value, seed);
        using (x) using (y)
        using (var index = tensor(idx))
            return (x.index_select(0, index), y.index_select(0, index));
    }
}
