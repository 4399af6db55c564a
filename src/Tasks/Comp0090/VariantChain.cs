using Harness.Tasks.Comp0090.Models;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// The chain of 3.2's networks: which one each variant came from, the Table 1 of the seed, and the answer to "was the
/// lowest test loss obtained for the model with the lowest validation loss?". Recorded as series over the networks in
/// order (3.1's first): "network_validation_loss", "network_test_loss", "network_parent" (−1 for 3.1's).
/// </summary>
public static class VariantChain
{
    /// <summary>One network of the chain: its config, its parent (index into the chain) and the change that made it.</summary>
    public sealed record Row(string Name, CnnConfig Config, int Parent, string Change, SplitScores Scores, int Epochs);

    /// <summary>The index of the lowest validation loss (the first on ties).</summary>
    public static int BestSoFar(IReadOnlyList<double> validationLosses) =>
        Enumerable.Range(0, validationLosses.Count).MinBy(i => validationLosses[i]);

    public static void Record(RunContext ctx, IReadOnlyList<Row> rows)
    {
        ctx.Series("network_validation_loss", rows.Select(r => r.Scores.ValidationLoss));
        ctx.Series("network_test_loss", rows.Select(r => r.Scores.TestLoss));
        ctx.Series("network_parent", rows.Select(r => (double)r.Parent));
        int best = BestSoFar(rows.Select(r => r.Scores.ValidationLoss).ToList());
        int lowestTest = Enumerable.Range(0, rows.Count).MinBy(i => rows[i].Scores.TestLoss);
        ctx.Value("network_chosen", best);
        ctx.Value("best_test_accuracy", rows[best].Scores.TestAccuracy);
        ctx.Value("best_validation_loss", rows[best].Scores.ValidationLoss);
        ctx.Value("lowest_test_at_lowest_validation", best == lowestTest ? 1 : 0);

        string[][] table = rows.Select(r => new[]
        {
            r.Name, $"{r.Config.Shape.Channels.Length} ({VariantChange.ConvText(r.Config.Shape)}, {r.Config.Shape.Kernel}×{r.Config.Shape.Kernel})",
            $"{r.Config.Shape.Hidden.Length + 1} ({string.Join("-", r.Config.Shape.Hidden.Append(FashionHalves.Classes))})",
            r.Config.Optimizer, Show.Short(r.Config.LearningRate, 6), r.Config.Regularisation,
            Show.Fixed(r.Scores.TrainLoss), Show.Fixed(r.Scores.ValidationLoss), Show.Fixed(r.Scores.TestLoss),
            Show.Percent(r.Scores.TrainAccuracy), Show.Percent(r.Scores.ValidationAccuracy), Show.Percent(r.Scores.TestAccuracy),
        }).ToArray();
        string[] columns = ["network", "conv. layers", "class. layers", "optimiser", "learning rate", "regularisation",
            "loss train", "loss valid", "loss test", "acc. train", "acc. valid", "acc. test"];
        ctx.Table("networks", $"3.1's network and its {Show.Word(rows.Count - 1)} variants, as the seed's Table 1: losses are plain cross-entropy of the kept weights (lowest validation loss), in eval mode.",
            columns, table);
        var incomplete = table.Select((r, i) => (r, i)).Where(x => x.r.Length != columns.Length || x.r.Any(string.IsNullOrWhiteSpace)).Select(x => rows[x.i].Name).ToList();
        ctx.Check("table_complete", incomplete.Count == 0 && rows.Count > 1, incomplete.Count == 0
            ? $"all {columns.Length} columns filled for the {rows.Count} networks" : $"empty cells in {string.Join(", ", incomplete)}");

        var leader = rows.Select((_, k) => BestSoFar(rows.Take(k + 1).Select(r => r.Scores.ValidationLoss).ToList())).ToArray();
        ctx.Table("chain", "How each network was derived: its parent (the best network before it by validation loss), the change, its epochs to convergence, and the best network after it.",
            ["network", "parent", "change", "epochs", "val. loss", "best so far"],
            rows.Select((r, k) => (IReadOnlyList<string>)[r.Name, r.Parent < 0 ? "–" : rows[r.Parent].Name, r.Change, r.Epochs.ToString(CultureInfo.InvariantCulture),
                Show.Fixed(r.Scores.ValidationLoss), leader[k] == k ? r.Name + " (new best)" : rows[leader[k]].Name]));
        var bestSoFar = leader.Select(i => rows[i].Scores.ValidationLoss).ToArray();
        var x = Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray();
        ctx.Figure("chain", "Validation and test loss of each network in the order trained (0 is 3.1's), and the lowest validation loss so far.",
            new LineChartSpec("Variants: loss", "network (0 = 3.1, k = variant k)", "cross-entropy loss",
                [new("validation", x, rows.Select(r => r.Scores.ValidationLoss).ToArray()), new("test", x, rows.Select(r => r.Scores.TestLoss).ToArray()),
                 new("best validation so far", x, bestSoFar)]));

        var path = new List<int> { best };
        while (rows[path[^1]].Parent >= 0) path.Add(rows[path[^1]].Parent);
        path.Reverse();
        ctx.Observe($"The chain of improvements: {string.Join(" → ", path.Select(i => i == 0 ? rows[i].Name : $"{rows[i].Name} ({rows[i].Change})"))}; "
            + $"{rows[best].Name} has the lowest validation loss, {Show.Fixed(rows[best].Scores.ValidationLoss)}, and {Show.Percent(rows[best].Scores.TestAccuracy)} test accuracy.");
        ctx.Observe(best == lowestTest
            ? $"Was the lowest test loss obtained for the model with the lowest validation loss? Yes: {rows[best].Name} has both (validation {Show.Fixed(rows[best].Scores.ValidationLoss)}, test {Show.Fixed(rows[best].Scores.TestLoss)})."
            : $"Was the lowest test loss obtained for the model with the lowest validation loss? No: {rows[best].Name} has the lowest validation loss ({Show.Fixed(rows[best].Scores.ValidationLoss)}; its test loss is {Show.Fixed(rows[best].Scores.TestLoss)}), "
              + $"but {rows[lowestTest].Name} has the lowest test loss ({Show.Fixed(rows[lowestTest].Scores.TestLoss)}; validation {Show.Fixed(rows[lowestTest].Scores.ValidationLoss)}): the model chosen by validation loss ranks {Rank(rows, best)} of {rows.Count} by test loss.");
    }

    /// <summary>The test-loss rank (1 = lowest) of network <paramref name="i"/>.</summary>
    private static int Rank(IReadOnlyList<Row> rows, int i) => 1 + rows.Count(r => r.Scores.TestLoss < rows[i].Scores.TestLoss);

    /// <summary>
    /// The table's losses of an L2-penalised variant against the plain cross-entropy recomputed here (log-softmax of the
    /// kept weights' logits at the true class, summed in float64), and the regularised objective (plain + l2 · Σw²) above it.
    /// </summary>
    public static void CheckPlainLoss(Findings findings, string name, ConvNet model, double l2, Fitted fitted, FashionHalf data, Device device, double tolerance)
    {
        foreach (var (split, set, table) in new[] { ("train", data.Train, fitted.Scores.TrainLoss), ("validation", data.Validation, fitted.Scores.ValidationLoss), ("test", data.Test, fitted.Scores.TestLoss) })
        {
            var plain = PlainCrossEntropy(model, set, device);
            findings.Expect(Math.Abs(plain - table) <= tolerance * Math.Max(1, Math.Abs(plain)),
                () => $"{name} {split}: table {table:R}, plain cross-entropy {plain:R}");
        }
        double penalty;
        using (no_grad()) penalty = l2 * ConvergenceObjective.Penalty(ConvergenceTraining.PenalisedWeights(model)).item<float>();
        findings.Expect(penalty > 0, () => $"{name}: the L2 penalty of the kept weights is {penalty:R}, so the regularised loss equals the plain one");
    }

    /// <summary>Mean cross-entropy computed directly (not through <see cref="Evaluation"/>): −log softmax at the true class.</summary>
    public static double PlainCrossEntropy(nn.Module<Tensor, Tensor> model, ImageDataSet set, Device device)
    {
        var wasTraining = model.training;
        model.eval();
        double sum = 0;
        using (no_grad())
            for (int from = 0; from < set.Count; from += 500)
            {
                using var scope = NewDisposeScope();
                var idx = arange(from, Math.Min(set.Count, from + 500), dtype: ScalarType.Int64);
                var logp = nn.functional.log_softmax(model.call(set.Gather(idx).to(device)), 1);
                sum -= logp.gather(1, set.Labels.index_select(0, idx).to(device).unsqueeze(1)).to_type(ScalarType.Float64).sum().item<double>();
            }
        model.train(wasTraining);
        return sum / set.Count;
    }

    /// <summary>
    /// Judged from the record ("{prefix}validation_loss", "{prefix}parent", "{prefix}chosen"): every network after the
    /// first has as parent the lowest validation loss before it, and the one chosen has the lowest of all.
    /// </summary>
    public static Requirement ParentRequirement(string id, string text, double points, string prefix) => new(id, text, points, r =>
    {
        var val = r.Series[prefix + "validation_loss"];
        var parent = r.Series[prefix + "parent"];
        var found = new Findings().Expect(val.Length > 1, "only one network");
        foreach (var k in Enumerable.Range(1, Math.Max(0, val.Length - 1)))
            found.Expect(parent[k] == BestSoFar(val.Take(k).ToList()), () => $"network {k}: parent {parent[k]}, the best before it is {BestSoFar(val.Take(k).ToList())}");
        found.Expect(r.Value(prefix + "chosen") == BestSoFar(val), () => $"network {r.Value(prefix + "chosen")} chosen, the lowest validation loss is network {BestSoFar(val)}'s");
        return Verdict.Of(found.Holds, found.Holds ? $"{val.Length - 1} derived" : $"{found.Failures.Count} wrong", "best so far",
            found.Finding($"parents {string.Join(", ", parent.Skip(1).Select(p => p.ToString(CultureInfo.InvariantCulture)))}; chosen {r.Value(prefix + "chosen")}"));
    }) { Value = prefix + "parent" };

    /// <summary>Judged from the record: the recorded yes/no is whether the lowest validation and test losses fall on the same network.</summary>
    public static Requirement AnswerRequirement(string id, string text, double points) => new(id, text, points, r =>
    {
        var val = r.Series["network_validation_loss"];
        var test = r.Series["network_test_loss"];
        int byVal = BestSoFar(val), byTest = BestSoFar(test);
        bool answer = r.Value("lowest_test_at_lowest_validation") == 1;
        return Verdict.Of(answer == (byVal == byTest), answer ? "yes" : "no", byVal == byTest ? "yes" : "no",
            $"lowest validation loss: network {byVal}; lowest test loss: network {byTest}");
    }) { Value = "lowest_test_at_lowest_validation" };
}
