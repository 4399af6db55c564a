using System.Diagnostics;
using Harness.Tasks.Cm500335.Models;

namespace Harness.Tasks.Cm500335;

/// <summary>
/// Task 6.2: one network with shared convolutions and shared dense layer, an item head and a group head, trained on
/// λ·loss_item + (1 − λ)·loss_group with one Adam optimiser, for λ ∈ {0, 0.25, 0.5, 0.75, 1}; every λ starts from the
/// same initial weights and sees the same batches. At λ = 0 (1) the item (group) head must receive no gradient at all.
/// </summary>
public sealed class T6_2MultiTask : TaskDefinition<T6_2MultiTask.Settings_>
{
    public sealed record Settings_(FashionSettings Training, double[] Lambdas);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "6.2";
    public override string Title => "Multi-task CNN: item and group together";
    public override string SeedText => "Build a multi-task network that shares the convolutional layers and the dense layer of 3136 units, with two heads [1024, 100, 10] for the item and [1024, 100, 3] for the group. Train it with the loss λ·loss1 + (1 − λ)·loss2 and one Adam optimiser for λ ∈ {0, 0.25, 0.5, 0.75, 1} with identical hyperparameters, and compare both accuracies with the single-task networks.";
    public override IReadOnlyList<string> DependsOn => new[] { "6.1" };
    public override Settings_ Settings(Profile profile) => new Settings_(T6_1SingleTask.TrainingFor(profile), Lambdas);
    public override Settings_ Settings(HarnessOptions options) => new Settings_(T6_1SingleTask.TrainingFor(options), Lambdas);
    static readonly double[] Lambdas = { 0, 0.25, 0.5, 0.75, 1 };

    protected override double? Work(Settings_ s) => s.Lambdas.Length * s.Training.Work;

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = T6_1SingleTask.TrainingFor(Profile.Smoke);
        var scale = $"{Show.Count(smoke.Train!.Value)} images and {Show.Word(smoke.Epochs)} epoch";
        return
        [
            Requirement.Holds("cm500335.6.2.lambda0", "At λ = 0 the item head receives no gradient: its weights are bit for bit those of the initialisation (and the group head's are not).", 1, "item_head_frozen_at_lambda0"),
            Requirement.Holds("cm500335.6.2.lambda1", "At λ = 1 the group head receives no gradient: its weights are bit for bit those of the initialisation (and the item head's are not).", 1, "group_head_frozen_at_lambda1"),
            Requirement.Exactly("cm500335.6.2.table", "The number of λ values whose item and group accuracies are tabulated (identical hyperparameters, the same initial weights)", 1, "lambdas_trained", Lambdas.Length),
            Requirement.AtMost("cm500335.6.2.item-gap", "At λ = 0.5 the single-task item CNN's test accuracy minus the multi-task item head's", 1, "item_gap_lambda050",
                new Threshold(0.01, 0.10, scale) { FullOrigin = Cm500335Assignment.Specification }, ValueFormat.PercentagePoints),
            Requirement.AtMost("cm500335.6.2.group-gap", "At λ = 0.5 the single-task group CNN's test accuracy minus the multi-task group head's", 1, "group_gap_lambda050",
                new Threshold(0.01, 0.10, scale) { FullOrigin = Cm500335Assignment.Specification }, ValueFormat.PercentagePoints),
        ];
    }

    static string Key(double lambda) => ((int)Math.Round(lambda * 100)).ToString("000", CultureInfo.InvariantCulture);

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var single = ctx.Dependency<T6_1SingleTask>().Record;
        var (items, _) = FashionGroups.Load(ctx, s.Training);
        using var groupOf = tensor(FashionGroups.OfItem);
        ctx.Value("train_images", items.Train.Count);
        ctx.Value("test_images", items.Test.Count);
        T6_1SingleTask.ObserveLimit(ctx, items.Train.Count);

        var rows = new List<(double Lambda, double Item, double Group, double Loss, double Seconds)>();
        foreach (var lambda in s.Lambdas)
        {
            manual_seed(ctx.Seed + 100);   // the same initial weights for every λ
            using var model = new MultiTaskFashionCnn(s.Training.Dense);
            model.to(ctx.Device);
            var before = ModelState.Snapshot(model);
            var clock = Stopwatch.StartNew();   // the whole training, as the brief's table reports it
            var losses = ctx.Train($"6.2 λ={lambda:0.00}", model, s.Training.Recipe, new MultiTaskObjective(model, items.Train, groupOf, lambda, ctx.Device))
                .Series(Metric.TrainLoss);
            var seconds = clock.Elapsed.TotalSeconds;
            ctx.TimeSection($"train_seconds_lambda{Key(lambda)}", seconds);
            var after = ModelState.Snapshot(model);
            // Exact element-wise equality with the initial weights (torch.equal; cheaper than comparing byte arrays).
            var changed = before.Keys.Where(k => !before[k].eq(after[k]).all().item<bool>()).ToList();
            bool itemChanged = changed.Any(n => n.StartsWith("item_", StringComparison.Ordinal));
            bool groupChanged = changed.Any(n => n.StartsWith("group_", StringComparison.Ordinal));
            foreach (var t in before.Values.Concat(after.Values)) t.Dispose();
            string HeadChanges() => $"changed tensors: {(changed.Count == 0 ? "none" : string.Join(", ", changed))}";
            if (lambda == 0) ctx.Check("item_head_frozen_at_lambda0", !itemChanged && groupChanged, HeadChanges());
            if (lambda == 1) ctx.Check("group_head_frozen_at_lambda1", !groupChanged && itemChanged, HeadChanges());

            var (item, group) = Accuracy(model, items.Test, groupOf, ctx.Device);
            ctx.Value($"item_test_accuracy_lambda{Key(lambda)}", item);
            ctx.Value($"group_test_accuracy_lambda{Key(lambda)}", group);
            ctx.Series($"train_loss_lambda{Key(lambda)}", losses);
            rows.Add((lambda, item, group, losses[^1], seconds));
        }
        ctx.Value("lambdas_trained", rows.Count);

        double singleItem = single.Value("item_final_test_accuracy"), singleGroup = single.Value("group_final_test_accuracy");
        var half = rows.Single(r => r.Lambda == 0.5);
        ctx.Value("item_gap_lambda050", singleItem - half.Item);
        ctx.Value("group_gap_lambda050", singleGroup - half.Group);

        ctx.Table("lambda_sweep", $"Multi-task CNN for each λ (loss λ·item + (1 − λ)·group): test accuracy of both heads and last-epoch training loss; single-task CNNs of 6.1 for reference ({items.Train.Count:N0} training images, {s.Training.Epochs} epoch(s), batch {s.Training.BatchSize}).",
            new[] { "λ", "item accuracy", "group accuracy", "final training loss", "training time (s)" },
            rows.Select(r => (IReadOnlyList<string>)new[] { r.Lambda.ToString("0.00", CultureInfo.InvariantCulture), Show.PercentSpaced(r.Item), Show.PercentSpaced(r.Group),
                r.Loss.ToString("0.0000", CultureInfo.InvariantCulture), r.Seconds.ToString("0.0", CultureInfo.InvariantCulture) })
            .Append(new[] { "single-task (6.1)", Show.PercentSpaced(singleItem), Show.PercentSpaced(singleGroup), "–", "–" }));
        var lambdas = rows.Select(r => r.Lambda).ToArray();
        ctx.Figure("accuracy_vs_lambda", "Test accuracy of the item and group heads against λ, with the single-task CNNs of 6.1 as flat lines.",
            new LineChartSpec("Multi-task accuracy vs λ", "λ (weight of the item loss)", "test accuracy (%)", new[]
            {
                new LineSeries("item head", lambdas, rows.Select(r => 100 * r.Item).ToArray()),
                new LineSeries("group head", lambdas, rows.Select(r => 100 * r.Group).ToArray()),
                new LineSeries("single-task item", lambdas, lambdas.Select(_ => 100 * singleItem).ToArray()),
                new LineSeries("single-task group", lambdas, lambdas.Select(_ => 100 * singleGroup).ToArray()),
            }));

        double target = FindRequirement("cm500335.6.2.item-gap").Threshold!.Full;
        string Gap(double single_, double multi, string task) => multi >= single_ - target
            ? $"within {100 * target:0.##} point of the single-task {task} CNN ({Show.PercentSpaced(multi)} against {Show.PercentSpaced(single_)})"
            : $"{100 * (single_ - multi):0.00} points below the single-task {task} CNN ({Show.PercentSpaced(multi)} against {Show.PercentSpaced(single_)}), missing the {100 * target:0.##}-point target by {100 * (single_ - multi) - 100 * target:0.00} points";
        ctx.Observe($"At λ = 0.5 the item head is {Gap(singleItem, half.Item, "item")}, and the group head {Gap(singleGroup, half.Group, "group")}.");
        var bestItem = rows.MaxBy(r => r.Item); var bestGroup = rows.MaxBy(r => r.Group);
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Item accuracy is best at λ = {bestItem.Lambda:0.00} ({Show.PercentSpaced(bestItem.Item)}) and group accuracy at λ = {bestGroup.Lambda:0.00} ({Show.PercentSpaced(bestGroup.Group)}); at λ = 0 the untrained item head scores {Show.PercentSpaced(rows[0].Item)} and at λ = 1 the untrained group head {Show.PercentSpaced(rows[^1].Group)} (chance is {Show.PercentBound(1.0 / items.Train.NumClasses)} and about {Show.PercentBound(Math.Round(1.0 / FashionGroups.Names.Length, 2))})."));
    }

    /// <summary>
    /// The brief's objective for the two-headed network: λ·CE(item) + (1 − λ)·CE(group) on shuffled mini-batches (one
    /// optimiser over all parameters); nothing is measured between epochs and the last epoch is kept.
    /// </summary>
    private sealed class MultiTaskObjective(MultiTaskFashionCnn model, ImageDataSet train, Tensor groupOf, double lambda, Device device) : IObjective
    {
        public int TrainCount => train.Count;

        public StepOutput Step(Batch batch)
        {
            var index = batch.Index()!;
            var x = train.Images.index_select(0, index).to(device);
            var yItem = train.Labels.index_select(0, index);
            var yGroup = groupOf.index_select(0, yItem).to(device);
            var (item, group) = model.call(x);
            return new StepOutput(lambda * nn.functional.cross_entropy(item, yItem.to(device)) + (1 - lambda) * nn.functional.cross_entropy(group, yGroup));
        }

        public IReadOnlyDictionary<string, double> Evaluate() => new Dictionary<string, double>();
        public Selection Selection => Selection.LastEpoch;
        public string Fingerprint => $"multi-task|{train.Count}|λ={lambda.ToString(CultureInfo.InvariantCulture)}";
    }

    private static (double Item, double Group) Accuracy(MultiTaskFashionCnn model, ImageDataSet test, Tensor groupOf, Device device)
    {
        model.eval();
        long item = 0, group = 0;
        using (no_grad())
            foreach (var idx in Batches.Sequential(test.Count, 500))
            {
                using var scope = NewDisposeScope();
                using var index = tensor(idx);
                var y = test.Labels.index_select(0, index);
                var (pi, pg) = model.call(test.Images.index_select(0, index).to(device));
                item += pi.argmax(1).cpu().eq(y).sum().item<long>();
                group += pg.argmax(1).cpu().eq(groupOf.index_select(0, y)).sum().item<long>();
            }
        model.train();
        return ((double)item / test.Count, (double)group / test.Count);
    }
}
