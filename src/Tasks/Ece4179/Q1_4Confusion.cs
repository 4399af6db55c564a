using Harness.Core.Experiments;
using Harness.Tasks.Ece4179.Models;

namespace Harness.Tasks.Ece4179;

/// <summary>
/// Q1.4: confusion matrices of the shallow CNN on the training, validation and test parts, and whether they follow a
/// similar pattern, answered with a number: the Pearson correlation of their row-normalised off-diagonal entries (the
/// rate at which class i is taken for class j, i ≠ j) for each pair of parts; and the most-confused pairs of each.
/// </summary>
public sealed class Q1_4Confusion : Ece4179Task<Q1_4Confusion.Settings_>
{
    public sealed record Settings_(string Data, int PairsListed);

    public override string Id => "1.4";
    public override string Title => "Confusion matrices";
    public override string SeedText => "Plot the confusion matrices of your network on the training, validation and test data. Are they following a similar pattern? Which classes are confused most often?";
    public override IReadOnlyList<string> DependsOn => ["1.1"];
    public override Settings_ Settings(Profile profile, string data) => new(data, PairsListed: 3);

    /// <summary>Correlations of at least this read as "closely similar", of at least <see cref="Broadly"/> as "broadly similar".</summary>
    public const double Closely = 0.7, Broadly = 0.4;

    /// <summary>Only 1.1's recorded predictions are read.</summary>
    protected override double? Work(Settings_ s) => WorkVolume.Constant;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("ece4179.1.4.rows", "Each confusion matrix (training, validation, test) counts every image of its part once: its rows sum to the part's class counts.", 2, "rows_ok"),
        Requirement.Holds("ece4179.1.4.consistent", "The validation and test accuracies read off the matrices are those 1.1 recorded for the model kept.", 2, "consistent_with_1_1"),
        new Requirement("ece4179.1.4.similarity", "Whether the matrices follow a similar pattern is answered with a number: the Pearson correlation of the row-normalised off-diagonal entries of each pair of parts, each in [−1, 1], and read in the observations.", 3, r =>
        {
            var values = Pairs.Select(p => r.Value(CorrelationValue(p.A, p.B))).ToArray();
            bool ok = values.All(v => double.IsFinite(v) && v is >= -1 and <= 1) && r.Observations.Any(o => o.StartsWith("Similar pattern", StringComparison.Ordinal));
            return Verdict.Of(ok, string.Join(", ", values.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture))), "three correlations in [−1, 1], discussed",
                string.Join("; ", Pairs.Select(p => $"{p.A}–{p.B}")));
        }) { Value = CorrelationValue("validation", "test") },
        Requirement.Holds("ece4179.1.4.pairs", "The most-confused pairs of each part are listed with their counts and rates, and no other off-diagonal entry of its matrix exceeds them.", 3, "pairs_ok"),
    ];

    private static readonly (string A, string B)[] Pairs = { ("train", "validation"), ("train", "test"), ("validation", "test") };
    public static string CorrelationValue(string a, string b) => $"offdiagonal_correlation_{a}_{b}";

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var shallow = ctx.Dependency<Q1_1ShallowCnn>();
        var data = Ece4179Data.Load(ctx, shallow.Task.Settings(ctx.Options).Split, normalise: false);
        var names = data.Train.ClassNames.ToArray();
        int k = names.Length;
        using var model = Ece4179Training.Load(ctx, new ShallowCnn(), shallow.Record, shallow.Folder);
        var matrices = data.All.ToDictionary(p => p.Name, p => (Set: p.Set, M: Ece4179Training.Confusion(model, p.Set, ctx.Device)));

        var rows = new Findings();
        var accuracies = new Dictionary<string, double>();
        foreach (var (name, (set, m)) in matrices)
        {
            var counts = set.ClassCounts();
            for (int i = 0; i < k; i++)
            {
                int row = Enumerable.Range(0, k).Sum(j => m[i, j]), c = i;
                rows.Expect(row == counts[i], () => $"{name}: row {names[c]} sums to {row}, the part has {counts[c]} such images");
            }
            double accuracy = accuracies[name] = Diagonal(m) / (double)set.Count;
            ctx.Value($"{name}_accuracy", accuracy);
            ctx.Figure($"confusion_{name}", $"Confusion matrix of the shallow CNN on the {Show.Count(set.Count)} {name} images (rows: true class, columns: predicted; accuracy {Show.Percent(accuracy)}).",
                new HeatmapSpec($"Confusion matrix ({name})", Classification.ToRows(m), names, names, "predicted class", "true class"));
        }
        ctx.Check("rows_ok", rows, $"the rows of all three matrices sum to their parts' class counts ({string.Join(", ", matrices.Select(m => $"{m.Key} {Show.Count(m.Value.Set.Count)}"))})");

        var recorded = new Dictionary<string, string> { ["validation"] = "best_validation_accuracy", ["test"] = "best_test_accuracy" };
        var consistent = new Findings();
        foreach (var (part, value) in recorded)
        {
            double mine = accuracies[part], theirs = shallow.Record.Value(value);
            consistent.Expect(Math.Abs(mine - theirs) < 0.5 / matrices[part].Set.Count, () => $"{part}: {Show.Percent(mine)} from the matrix, 1.1 recorded {Show.Percent(theirs)}");
        }
        ctx.Check("consistent_with_1_1", consistent, $"validation {Show.Percent(accuracies["validation"])} and test {Show.Percent(accuracies["test"])}, as 1.1 recorded for epoch {shallow.Record.Value("best_epoch")}");

        var rates = matrices.ToDictionary(m => m.Key, m => OffDiagonalRates(m.Value.M));
        var correlation = Pairs.ToDictionary(p => p, p => Pearson(rates[p.A], rates[p.B]));
        foreach (var (p, c) in correlation) ctx.Value(CorrelationValue(p.A, p.B), c);
        ctx.Table("similarity", "Similarity of the confusion patterns: Pearson correlation of the row-normalised off-diagonal entries (90 rates \"true i taken for j\") of each pair of parts.",
            new[] { "parts", "correlation" }, Pairs.Select(p => (IReadOnlyList<string>)new[] { $"{p.A} – {p.B}", Show.Fixed(correlation[p], 3) }));

        var pairs = new Findings();
        var listed = new List<IReadOnlyList<string>>();
        var top = new Dictionary<string, (int I, int J)>();
        foreach (var (name, (set, m)) in matrices)
        {
            var ranked = Ranked(m);
            var shown = ranked.Take(s.PairsListed).ToList();
            if (shown.Count > 0) top[name] = shown[0];
            int lowestShown = shown.Count == 0 ? 0 : m[shown[^1].I, shown[^1].J];
            var rest = ranked.Skip(s.PairsListed).FirstOrDefault((-1, -1));
            pairs.Expect(shown.All(p => p.I != p.J), $"{name}: a listed pair is on the diagonal")
                 .Expect(rest.Item1 < 0 || m[rest.Item1, rest.Item2] <= lowestShown, () => $"{name}: {names[rest.Item1]}→{names[rest.Item2]} ({m[rest.Item1, rest.Item2]}) exceeds a listed pair ({lowestShown})");
            var counts = set.ClassCounts();
            foreach (var (p, rank) in shown.Select((p, r) => (p, r + 1)))
                listed.Add(new[] { name, rank.ToString(CultureInfo.InvariantCulture), $"{names[p.I]} → {names[p.J]}", Show.Count(m[p.I, p.J]), Show.Percent((double)m[p.I, p.J] / counts[p.I], 1) });
        }
        ctx.Table("most_confused", $"The {Show.Word(s.PairsListed)} most-confused pairs of each part: true class → predicted class, images, and the share of the true class's images.",
            new[] { "part", "rank", "pair", "images", "rate" }, listed);
        ctx.Check("pairs_ok", pairs, $"the {Show.Word(s.PairsListed)} largest off-diagonal counts of each matrix, listed in order");

        double r = correlation[("validation", "test")];
        var reading = r >= Closely ? "yes, closely" : r >= Broadly ? "broadly" : "no, not closely";
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Similar pattern? {char.ToUpperInvariant(reading[0]) + reading[1..]}: the off-diagonal rates of validation and test correlate at r = {r:0.000}, training with validation at {correlation[("train", "validation")]:0.000} and with test at {correlation[("train", "test")]:0.000} (read as close from r ≥ {Closely}, broad from r ≥ {Broadly})."));
        ctx.Observe($"Accuracy is {Show.Percent(accuracies["train"])} on training, {Show.Percent(accuracies["validation"])} on validation and {Show.Percent(accuracies["test"])} on test images: the gap of {Show.Points(accuracies["train"] - accuracies["test"])} points is what the network has fitted to its training images alone.");
        if (top.Count == 3)
        {
            var agree = top.Values.Distinct().Count() == 1;
            var (ti, tj) = top["test"];
            ctx.Observe(agree
                ? $"The most-confused pair is the same in all three parts: {names[ti]} taken for {names[tj]}."
                : $"The most-confused pairs differ: {string.Join(", ", top.Select(t => $"{t.Key} {names[t.Value.I]} → {names[t.Value.J]}"))}.");
        }
    }

    private static long Diagonal(int[,] m) => Enumerable.Range(0, m.GetLength(0)).Sum(i => (long)m[i, i]);

    /// <summary>Off-diagonal entries divided by their row's sum, row by row (i ≠ j).</summary>
    public static double[] OffDiagonalRates(int[,] m)
    {
        int k = m.GetLength(0);
        var result = new List<double>();
        for (int i = 0; i < k; i++)
        {
            double row = Enumerable.Range(0, k).Sum(j => m[i, j]);
            for (int j = 0; j < k; j++) if (i != j) result.Add(row == 0 ? 0 : m[i, j] / row);
        }
        return result.ToArray();
    }

    /// <summary>Off-diagonal (i, j) by count, largest first; ties in row-major order.</summary>
    private static List<(int I, int J)> Ranked(int[,] m)
    {
        int k = m.GetLength(0);
        return Enumerable.Range(0, k * k).Select(x => (I: x / k, J: x % k)).Where(p => p.I != p.J && m[p.I, p.J] > 0)
            .OrderByDescending(p => m[p.I, p.J]).ThenBy(p => p.I).ThenBy(p => p.J).ToList();
    }

    public static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }
}
