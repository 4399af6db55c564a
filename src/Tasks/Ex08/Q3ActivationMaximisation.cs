using Harness.Core.Analysis;

namespace Harness.Tasks.Ex08;

/// <summary>
/// Q3: activation maximisation of every class logit of the baseline (gradient ascent from an empty image), the
/// confusion matrix on the test set, and the rank correlation between per-class accuracy and image "quality".
/// </summary>
public sealed class Q3ActivationMaximisation : TaskDefinition<Q3ActivationMaximisation.Settings_>
{
    public sealed record Settings_(int Steps, double StepSize, double L2, int[] Classes);

    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "3";
    public override string Title => "Activation maximisation";
    public override string SeedText => "Start from an empty image, select a class, apply gradient ascent to maximize the activation of the specific neuron in the last fc-layer. Plot a confusion matrix of the results on the test-set. Does the accuracy on different classes correlate with the quality of generated images?";
    public override IReadOnlyList<string> DependsOn => new[] { "1.2" };
    public override Settings_ Settings(Profile profile) => new Settings_(Steps: 60, StepSize: 0.5, L2: 0.001, Classes: Enumerable.Range(0, Set.ClassNames.Length).ToArray());

    private static readonly DataSetInfo Set = DataSetCatalog.FashionMnist;
    /// <summary>Spearman's ρ that a sample of 10 pairs exceeds in magnitude with probability 5% under independence (two-sided; from the exact tables).</summary>
    private const double SpearmanCritical5PercentFor10 = 0.648;

    protected override double? Work(Settings_ s) => WorkVolume.Constant;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("ex08.3.classes", $"Images are generated for all {Set.ClassNames.Length} classes (including {Set.ClassNames[0]}, {Set.ClassNames[1]} and {Set.ClassNames[^1]}) and shown in one grid.", 0.5, "all_classes_shown"),
        Requirement.AtLeast("ex08.3.probability", "The lowest softmax probability that a generated image gets for its target class", 1.5, "min_target_probability",
            new Threshold(0.99, 0.98, "the weaker smoke baseline, which recognises Shirt poorly"), ValueFormat.Decimal(4)),
        Requirement.Holds("ex08.3.monotone", "The target logit rises monotonically over the ascent for every class, with no NaN.", 1, "logits_monotone"),
        Requirement.Holds("ex08.3.confusion", "The test-set confusion matrix's rows sum to the class counts of the test set.", 1, "confusion_rows_ok"),
        new Requirement("ex08.3.correlation", "The rank correlation between per-class test accuracy and image quality (correlation with the class-mean test image) is computed and reported.", 1, r =>
        {
            var rho = r.Value("spearman_accuracy_quality");
            return Verdict.Of(double.IsFinite(rho) && rho >= -1 && rho <= 1 && r.Observations.Any(o => o.StartsWith("Correlation", StringComparison.Ordinal)),
                rho.ToString("0.000", CultureInfo.InvariantCulture), "a Spearman ρ in [−1, 1], discussed in the observations");
        }) { Value = "spearman_accuracy_quality" },
    ];

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var (model, data) = BaselineModel.Load(ctx);
        using var _ = model;
        var names = data.Test.ClassNames;
        // The network sees standardised pixels: black (the empty image) is −mean/std, white (1 − mean)/std.
        float black = -data.Mean / data.Std, white = (1 - data.Mean) / data.Std;
        var am = new ActivationMaximisation.Settings(s.Steps, s.StepSize, s.L2, black, white, black);

        // Confusion matrix on the test set.
        var truth = data.Test.LabelArray();
        var predicted = Evaluation.Predict(model, data.Test, ctx.Device);
        int k = data.Test.NumClasses;
        var confusion = Classification.ConfusionMatrix(predicted, truth, k);
        var perClass = Classification.PerClassAccuracy(confusion);
        var counts = data.Test.ClassCounts();
        ctx.Value("test_accuracy", Classification.Accuracy(predicted, truth));
        var rowsOk = new Findings();
        for (int i = 0; i < k; i++)
        {
            int row = Enumerable.Range(0, k).Sum(j => confusion[i, j]), c = i;
            rowsOk.Expect(row == counts[i], () => $"row {names[c]} sums to {row}, but the test set has {counts[c]} such images");
        }
        ctx.Check("confusion_rows_ok", rowsOk, $"all {k} rows sum to their class counts ({Show.Count(truth.Length)} test images)");
        ctx.Figure("confusion", $"Confusion matrix of the baseline on the {truth.Length:N0} test images (rows: true class, columns: predicted).",
            new HeatmapSpec("Confusion matrix (test set)", Classification.ToRows(confusion), names.ToArray(), names.ToArray(), "predicted class", "true class"));

        // Class-mean test images (pixel space) as the reference for "quality".
        var means = Enumerable.Range(0, k).Select(c =>
        {
            using var scope = NewDisposeScope();
            using var idx = tensor(Enumerable.Range(0, truth.Length).Where(i => truth[i] == c).Select(i => (long)i).ToArray());
            return data.Test.Images.index_select(0, idx).mean(new long[] { 0 }).mul(data.Std).add(data.Mean).flatten().data<float>().ToArray();
        }).ToArray();

        var results = ctx.Timed("ascent", () => s.Classes.Select(c =>
            ActivationMaximisation.Maximise(model, c, data.Test.Images.shape.Skip(1).ToArray(), am, ctx.Device)).ToList());
        var images = results.Select(r => r.Image.Select(v => v * data.Std + data.Mean).Select(v => Math.Clamp(v, 0f, 1f)).ToArray()).ToList();
        var quality = results.Select((r, i) => Pearson(images[i], means[r.TargetClass])).ToArray();
        var accuracy = results.Select(r => perClass[r.TargetClass]).ToArray();
        var probability = results.Select(r => r.Probability).ToArray();

        var missingClasses = Enumerable.Range(0, k).Where(c => !s.Classes.Contains(c)).Select(c => names[c]).ToList();
        ctx.Check("all_classes_shown", missingClasses.Count == 0, missingClasses.Count == 0
            ? $"images of all {k} classes generated, in one grid" : $"no image generated for {string.Join(", ", missingClasses)}");
        ctx.Value("min_target_probability", probability.Min());
        ctx.Value("all_predicted_as_target", results.All(r => r.PredictedClass == r.TargetClass) ? 1 : 0);
        var monotone = new Findings();
        foreach (var r in results)
            monotone.Expect(ActivationMaximisation.RisesMonotonically(r.TargetLogit) && r.TargetLogit.Length > 1,
                () => $"{names[r.TargetClass]}: the logit does not rise at every accepted step ({r.TargetLogit.Length - 1} steps, values {string.Join(", ", r.TargetLogit.Take(5).Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))}…)");
        ctx.Check("logits_monotone", monotone, $"the target logit rises at each of the {results.Min(r => r.TargetLogit.Length - 1)}+ accepted steps of every class, no NaN");
        ctx.Value("accepted_steps_min", results.Min(r => r.TargetLogit.Length - 1));
        double rho = Spearman(accuracy, quality);
        ctx.Value("spearman_accuracy_quality", rho);
        ctx.Value("spearman_accuracy_probability", Spearman(accuracy, probability));

        var grid = results.Select((r, i) => new GridImage($"{names[r.TargetClass]} (p = {r.Probability:0.000})", images[i]))
            .Concat(results.Select(r => new GridImage($"mean {names[r.TargetClass]}", means[r.TargetClass]))).ToList();
        ctx.Figure("generated", "Top row: images generated by gradient ascent on each class logit, starting from an empty (black) image, with the softmax probability of the target class. Bottom row: the class-mean test image.",
            new ImageGridSpec("Activation maximisation, all ten classes", (int)data.Test.Images.shape[3], (int)data.Test.Images.shape[2], 1, results.Count, grid));
        ctx.Figure("ascent", "Target logit after each accepted ascent step (a step that would lower it is retried with half the step size).",
            new LineChartSpec("Target logit during gradient ascent", "accepted step", "target logit",
                results.Select(r => new LineSeries(names[r.TargetClass], Enumerable.Range(0, r.TargetLogit.Length).Select(i => (double)i).ToArray(), r.TargetLogit)).ToList()));
        ctx.Table("classes", "Per class: test accuracy (recall), the generated image's softmax probability and final logit, and its quality = Pearson correlation with the class-mean test image.",
            new[] { "class", "test images", "test accuracy", "probability", "final logit", "quality (corr. with mean)" },
            results.Select((r, i) => (IReadOnlyList<string>)new[]
            {
                names[r.TargetClass], counts[r.TargetClass].ToString("N0", CultureInfo.InvariantCulture), Show.Percent(accuracy[i]),
                r.Probability.ToString("0.0000", CultureInfo.InvariantCulture), r.TargetLogit[^1].ToString("0.00", CultureInfo.InvariantCulture),
                quality[i].ToString("0.000", CultureInfo.InvariantCulture),
            }));

        int hardest = Array.IndexOf(accuracy, accuracy.Min()), easiest = Array.IndexOf(accuracy, accuracy.Max());
        int best = Array.IndexOf(quality, quality.Max()), worst = Array.IndexOf(quality, quality.Min());
        ctx.Observe($"The test set is classified with {Show.Percent(Classification.Accuracy(predicted, truth))} accuracy; {names[results[hardest].TargetClass]} is hardest ({Show.Percent(accuracy[hardest])}), {names[results[easiest].TargetClass]} easiest ({Show.Percent(accuracy[easiest])}).");
        var (a, b) = MostConfused(confusion);
        ctx.Observe($"The most frequent confusion is true {names[a]} predicted as {names[b]} ({confusion[a, b]} images).");
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Every generated image is classified as its target with probability ≥ {probability.Min():0.0000}, yet none looks like a photograph: quality (correlation with the class mean) ranges from {quality.Min():0.000} ({names[results[worst].TargetClass]}) to {quality.Max():0.000} ({names[results[best].TargetClass]})."));
        var critical = $"critical |ρ| = {SpearmanCritical5PercentFor10.ToString(CultureInfo.InvariantCulture)} for 10 classes";
        var strength = results.Count != 10 ? "(significance tabulated for 10 classes only)"
            : Math.Abs(rho) >= SpearmanCritical5PercentFor10 ? $"significant at the 5% level ({critical})" : $"not significant at the 5% level ({critical})";
        var reading = rho > 0.3 ? "classes the network recognises well tend to give more recognisable images."
            : rho < -0.3 ? "better recognised classes tend to give less class-like images." : "accuracy and image quality are essentially unrelated.";
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Correlation between per-class accuracy and image quality: Spearman ρ = {rho:0.000}, {strength}; {reading}"));
    }


    private static (int, int) MostConfused(int[,] m)
    {
        (int, int) best = (0, 1);
        int k = m.GetLength(0);
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) if (i != j && m[i, j] > m[best.Item1, best.Item2]) best = (i, j);
        return best;
    }

    public static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Count; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }

    private static double Pearson(float[] a, float[] b) => Pearson(a.Select(v => (double)v).ToArray(), b.Select(v => (double)v).ToArray());

    /// <summary>Spearman's ρ: Pearson correlation of the ranks (ties get their average rank).</summary>
    public static double Spearman(double[] a, double[] b) => Pearson(Ranks(a), Ranks(b));

    private static double[] Ranks(double[] v)
    {
        var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
        var r = new double[v.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && v[order[j + 1]] == v[order[i]]) j++;
            for (int t = i; t <= j; t++) r[order[t]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return r;
    }
}
