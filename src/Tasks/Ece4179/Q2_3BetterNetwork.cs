using Harness.Tasks.Ece4179.Models;

namespace Harness.Tasks.Ece4179;

/// <summary>
/// Q2.3: a better network by the seed's three criteria, each measured against 2.1 and 2.2 and shown in one table: fewer
/// parameters, faster convergence (epochs to a stated validation accuracy) and better accuracy; trained exactly as 2.2
/// (data, split, standardisation, augmentation, schedule); the validation confusion compared per class.
/// </summary>
public sealed class Q2_3BetterNetwork : Ece4179Task<Q2_3BetterNetwork.Settings_>
{
    public sealed record Settings_(string Data, SplitSizes Split, TrainSettings Training, AugmentSettings Augmentation, int[] Widths, double Dropout,
        double TargetValidationAccuracy);

    public override string Id => "2.3";
    public override string Title => "A better network";
    public override string SeedText => "Design a network that is better than the one of Q2.2 in all three respects: it has fewer parameters, converges faster, and is more accurate. Compare them in a table and compare their confusion matrices on the validation data.";
    public override IReadOnlyList<string> DependsOn => ["2.1", "2.2"];

    public override Settings_ Settings(Profile profile, string data)
    {
        var augmented = new Q2_2Augmentation().Settings(profile, data);
        return new(data, augmented.Split, augmented.Training, augmented.Augmentation, Widths: [32, 64, 128, 128], Dropout: 0.2,
            TargetValidationAccuracy: profile == Profile.Full ? 0.60 : 0.25);
    }

    protected override double? Work(Settings_ s) => s.Training.Work(s.Split);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var full = Settings(Profile.Full);
        var smoke = Settings(Profile.Smoke);
        return
        [
            Requirement.Holds("ece4179.2.3.fewer-parameters", $"The better network has fewer parameters than the deep CNN of 2.1 and 2.2 ({Show.Count(Q2_1DeepCnn.Parameters)}).", 3, "fewer_parameters"),
            Requirement.Holds("ece4179.2.3.faster", $"It converges faster: it reaches {Show.PercentBound(full.TargetValidationAccuracy)} validation accuracy (provisional, the deep CNN's bound; smoke: {Show.PercentBound(smoke.TargetValidationAccuracy)}) in fewer epochs than 2.1 and 2.2 (one that never reaches it counts as never).", 4, "faster_convergence") with { NeedsWholeSchedule = true },
            OnStl10(Requirement.Holds("ece4179.2.3.better", "It is more accurate: its test accuracy is higher than that of 2.1 and of 2.2.", 4, "better_accuracy") with { NeedsWholeSchedule = true }),
            Requirement.Holds("ece4179.2.3.per-class", "The validation confusion matrices of 2.1, 2.2 and 2.3 are compared per class (rows summing to the validation part's class counts).", 2, "per_class_ok"),
            .. TrainingChecks(curves: 1, selection: 0, lossFalls: 1),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = Ece4179Data.Load(ctx, s.Split, normalise: true);
        Ece4179Data.RecordSplit(ctx, data, s.Split);
        using var trained = Ece4179Training.TrainAndRecord(ctx, "Residual CNN", () => new ResidualCnn(s.Widths, s.Dropout), s.Training, data,
            Q2_2Augmentation.Input, s.Augmentation.Text, s.Augmentation.For(ctx.Seed).Apply);

        var deep = ctx.Dependency<Q2_1DeepCnn>().Record;
        var augmented = ctx.Dependency<Q2_2Augmentation>().Record;
        var mine = new Summary(Id, "2.3 residual CNN", ModelSummary.TotalParameters(trained.Model), trained.Result.Series(Metric.ValidationAccuracy),
            trained.Result.Best.TestAccuracy, Classification.ToRows(trained.ValidationConfusion).SelectMany(r => r).ToArray());
        var rows = new[] { Summary.Of(deep, "2.1", "2.1 deep CNN"), Summary.Of(augmented, "2.2", "2.2 deep CNN, augmented"), mine };
        int ran = ctx.EpochsRun(s.Training.Epochs), never = ran + 1;
        int Epochs(Summary r) => Array.FindIndex(r.Validation, v => v >= s.TargetValidationAccuracy) is var i and >= 0 ? i + 1 : never;
        string EpochsText(Summary r) => Epochs(r) == never ? $"not in {ran}" : Show.Count(Epochs(r));
        foreach (var r in rows.Take(2)) ctx.Value($"epochs_to_target_{r.Task}", Epochs(r));
        ctx.Value("epochs_to_target", Epochs(mine));
        ctx.Value("target_validation_accuracy", s.TargetValidationAccuracy);
        ctx.Table("comparison", $"The three criteria: parameters, epochs to {Show.PercentBound(s.TargetValidationAccuracy)} validation accuracy, and accuracy of the model kept (all trained {ran} epochs on the same split and seed).",
            new[] { "network", "parameters", $"epochs to {Show.PercentBound(s.TargetValidationAccuracy)} val.", "best val. acc.", "test acc." },
            rows.Select(r => (IReadOnlyList<string>)new[] { r.Name, Show.Count(r.Parameters), EpochsText(r), Show.Percent(r.Validation.Max()), Show.Percent(r.TestAccuracy) }));

        var others = rows.Take(2).ToArray();
        ctx.Check("fewer_parameters", new Findings().Expect(others.All(o => mine.Parameters < o.Parameters),
                () => $"{Show.Count(mine.Parameters)} parameters, {string.Join(", ", others.Select(o => $"{o.Name} {Show.Count(o.Parameters)}"))}"),
            $"{Show.Count(mine.Parameters)} parameters, {Show.Percent((double)mine.Parameters / others[0].Parameters, 1)} of the deep CNN's {Show.Count(others[0].Parameters)}");
        ctx.Check("faster_convergence", new Findings()
                .Expect(Epochs(mine) < never, () => $"the better network does not reach {Show.PercentBound(s.TargetValidationAccuracy)} validation accuracy in {ran} epochs (best {Show.Percent(mine.Validation.Max())})")
                .Expect(others.All(o => Epochs(mine) < Epochs(o)), () => $"epochs to {Show.PercentBound(s.TargetValidationAccuracy)}: {string.Join(", ", rows.Select(r => $"{r.Name} {EpochsText(r)}"))}"),
            $"{Show.PercentBound(s.TargetValidationAccuracy)} validation accuracy after {EpochsText(mine)} epoch(s), against {string.Join(" and ", others.Select(o => $"{EpochsText(o)} ({o.Name})"))}");
        ctx.Check("better_accuracy", new Findings().Expect(others.All(o => mine.TestAccuracy > o.TestAccuracy),
                () => $"test accuracy {Show.Percent(mine.TestAccuracy)}, {string.Join(", ", others.Select(o => $"{o.Name} {Show.Percent(o.TestAccuracy)}"))}"),
            $"test accuracy {Show.Percent(mine.TestAccuracy)} against {string.Join(" and ", others.Select(o => $"{Show.Percent(o.TestAccuracy)} ({o.Name})"))}");
        foreach (var o in others) ctx.Value($"test_gain_over_{o.Task}", mine.TestAccuracy - o.TestAccuracy);

        PerClass(ctx, data, rows);
        ctx.Observe($"The residual CNN uses batch normalisation after every convolution, a residual connection around each block's 1×1 → 3×3 pair and widths {string.Join("→", s.Widths)} instead of {string.Join("→", DeepCnn.Widths)}: {Show.Count(mine.Parameters)} parameters, {Show.Percent((double)mine.Parameters / others[0].Parameters, 1)} of the deep CNN's.");
        ctx.Series("epochs_to_target_all", rows.Select(r => (double)Epochs(r)));
    }

    /// <summary>Per-class validation accuracy (recall) of the three networks, from their validation confusion matrices.</summary>
    private static void PerClass(RunContext ctx, Stl10Parts data, Summary[] rows)
    {
        var names = data.Validation.ClassNames.ToArray();
        int k = names.Length;
        var counts = data.Validation.ClassCounts();
        var found = new Findings();
        var recall = rows.Select(r =>
        {
            found.Expect(r.Confusion.Length == k * k, () => $"{r.Name}: {r.Confusion.Length} confusion entries, not {k * k}");
            return Enumerable.Range(0, k).Select(i =>
            {
                double row = Enumerable.Range(0, k).Sum(j => r.Confusion.ElementAtOrDefault(i * k + j));
                found.Expect(row == counts[i], () => $"{r.Name}: validation row {names[i]} sums to {row}, the part has {counts[i]}");
                return row == 0 ? 0 : r.Confusion.ElementAtOrDefault(i * k + i) / row;
            }).ToArray();
        }).ToArray();
        ctx.Check("per_class_ok", found, $"three validation confusion matrices, each row summing to the {Show.Count(data.Validation.Count)} validation images' class counts");
        ctx.Table("per_class", "Validation accuracy per class (the diagonal of each validation confusion matrix over its row) and the change from 2.2 to 2.3.",
            new[] { "class" }.Concat(rows.Select(r => r.Task)).Append($"{rows[2].Task} − {rows[1].Task}").ToArray(),
            Enumerable.Range(0, k).Select(i => (IReadOnlyList<string>)new[] { names[i] }.Concat(recall.Select(r => Show.Percent(r[i], 1)))
                .Append(Show.Points(recall[2][i] - recall[1][i])).ToList()));
        ctx.Figure("per_class", "Validation accuracy per class of the three networks.",
            new BarChartSpec("Validation accuracy per class", "class", "validation accuracy (%)", names,
                rows.Select((r, n) => new BarSeries(r.Name, recall[n].Select(v => 100 * v).ToArray())).ToList()));
        for (int n = 0; n < rows.Length; n++)
        {
            var m = Enumerable.Range(0, k).Select(i => rows[n].Confusion.Skip(i * k).Take(k).ToArray()).ToArray();
            ctx.Figure($"validation_confusion_{rows[n].Task.Replace('.', '_')}", $"Validation confusion matrix of {rows[n].Name} (rows: true class, columns: predicted).",
                new HeatmapSpec($"Validation confusion ({rows[n].Name})", m, names, names, "predicted class", "true class"));
        }
        int better = Enumerable.Range(0, k).Count(i => recall[2][i] > recall[1][i]), worse = Enumerable.Range(0, k).Count(i => recall[2][i] < recall[1][i]);
        int most = Enumerable.Range(0, k).MaxBy(i => recall[2][i] - recall[1][i]);
        ctx.Observe($"Against 2.2 the better network classifies {Show.Word(better)} classes more accurately and {Show.Word(worse)} less; the largest gain is {names[most]} ({Show.Points(recall[2][most] - recall[1][most])} points).");
    }

    /// <summary>What the comparison reads of a network: parameters, validation accuracy per epoch, test accuracy of the model kept, validation confusion.</summary>
    private sealed record Summary(string Task, string Name, long Parameters, double[] Validation, double TestAccuracy, double[] Confusion)
    {
        public static Summary Of(RunRecord r, string task, string name) => new(task, name, (long)r.Value("params_total"), r.Series[Metric.ValidationAccuracy],
            r.Value("best_test_accuracy"), r.Series["validation_confusion"]);
    }
}
