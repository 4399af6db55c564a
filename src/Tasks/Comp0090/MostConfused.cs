namespace Harness.Tasks.Comp0090;

/// <summary>
/// The test confusion matrix of a classifier (recorded row by row as series "confusion_row_{i}") and its most-confused
/// pairs: the pairs of classes with the largest off-diagonal sums m[i, j] + m[j, i], recorded as values
/// "confused_{rank}_a" and "confused_{rank}_b" (class indices) with a hypothesis for each in the observations.
/// </summary>
public static class MostConfused
{
    public static void Record(RunContext ctx, nn.Module<Tensor, Tensor> model, ImageDataSet test, double testAccuracy, int pairs)
    {
        var truth = test.LabelArray();
        var m = Classification.ConfusionMatrix(Evaluation.Predict(model, test, ctx.Device), truth, test.NumClasses);
        var rows = Classification.ToRows(m);
        for (int i = 0; i < rows.Length; i++) ctx.Series($"confusion_row_{i}", rows[i]);
        var names = test.ClassNames.ToArray();
        ctx.Figure("confusion", $"Test confusion matrix of the kept weights ({Show.Count(test.Count)} FM-1 test images; rows: true class, columns: predicted).",
            new HeatmapSpec("Confusion matrix (test)", rows, names, names, "predicted", "true"));

        long total = rows.Sum(r => (long)r.Sum()), diagonal = Enumerable.Range(0, rows.Length).Sum(i => (long)rows[i][i]);
        double fromMatrix = (double)diagonal / total;
        ctx.Check("confusion_consistent", new Findings()
                .Expect(total == test.Count, () => $"the matrix counts {total} images, the test part has {test.Count}")
                .Expect(fromMatrix == testAccuracy, () => $"its diagonal gives {Show.Percent(fromMatrix, 4)}, the evaluation {Show.Percent(testAccuracy, 4)}"),
            $"{Show.Count(total)} test images, {Show.Count(diagonal)} on the diagonal: {Show.Percent(fromMatrix)}, the recorded test accuracy");

        var top = Top(rows, pairs);
        foreach (var (p, rank) in top.Select((p, k) => (p, k + 1)))
        {
            ctx.Value($"confused_{rank}_a", p.A); ctx.Value($"confused_{rank}_b", p.B); ctx.Value($"confused_{rank}_count", p.Count);
        }
        ctx.Table("confused_pairs", $"The {Show.Word(top.Count)} most-confused pairs of the test confusion matrix (both directions).",
            ["rank", "pair", "a taken for b", "b taken for a", "together", "share of the pair's images"],
            top.Select((p, k) => (IReadOnlyList<string>)[(k + 1).ToString(CultureInfo.InvariantCulture), $"{names[p.A]} ↔ {names[p.B]}",
                Show.Count(rows[p.A][p.B]), Show.Count(rows[p.B][p.A]), Show.Count(p.Count), Show.Percent(p.Count / (rows[p.A].Sum() + rows[p.B].Sum()))]));
        foreach (var (p, k) in top.Select((p, k) => (p, k)))
            ctx.Observe($"Confused pair {k + 1}: {names[p.A]} and {names[p.B]}, {Show.Count(rows[p.A][p.B])} {names[p.A]} test images taken for {names[p.B]} and {Show.Count(rows[p.B][p.A])} the other way. "
                + $"Hypothesis: {ConfusionHypotheses.For(names[p.A], names[p.B])}.");
    }

    public sealed record Pair(int A, int B, double Count);

    /// <summary>The <paramref name="count"/> pairs (a &lt; b) with the largest m[a, b] + m[b, a]; ties go to the earlier pair.</summary>
    public static IReadOnlyList<Pair> Top(double[][] m, int count) =>
        (from a in Enumerable.Range(0, m.Length) from b in Enumerable.Range(a + 1, m.Length - a - 1) select new Pair(a, b, m[a][b] + m[b][a]))
        .OrderByDescending(p => p.Count).Take(count).ToList();

    /// <summary>Judged from the record: the recorded pairs are those the recorded matrix gives.</summary>
    public static Requirement Requirement(string id, string text, double points) => new(id, text, points, r =>
    {
        var rows = Enumerable.Range(0, FashionHalves.Classes).Select(i => r.Series[$"confusion_row_{i}"]).ToArray();
        var expected = Top(rows, T3_1Cnn.Pairs);
        var wrong = expected.Select((p, k) => (p, k: k + 1)).Where(x => r.Value($"confused_{x.k}_a") != x.p.A || r.Value($"confused_{x.k}_b") != x.p.B).ToList();
        string Named(Pair p) => $"{p.A}↔{p.B} ({Show.Count(p.Count)})";
        return Verdict.Of(wrong.Count == 0, wrong.Count == 0 ? string.Join(", ", expected.Select(Named)) : $"{wrong.Count} pair(s) differ",
            "from the matrix", wrong.Count == 0 ? "pairs as class indices (images confused)" : $"rank {wrong[0].k}: the matrix gives {Named(wrong[0].p)}");
    }) { Value = "confused_1_a" };
}
