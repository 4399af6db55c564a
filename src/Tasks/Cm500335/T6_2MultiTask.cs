using System.Diagnostics;
using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Core.Training;
using Harness.Tasks.Cm500335.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tasks.Cm500335;

/// <summary>
/// Task 6.2: one network with shared convolutions and shared dense layer, an item head and a group head, trained on
/// λ·loss_item + (1 − λ)·loss_group with one Adam optimiser, for λ ∈ {0, 0.25, 0.5, 0.75, 1}; every λ starts from the
/// same initial weights and sees the same batches. At λ = 0 (1) the item (group) head must receive no gradient at all.
/// </summary>
public sealed class T6_2MultiTask : TaskDefinition
{
    public sealed record Settings_(FashionSettings Training, double[] Lambdas);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "6.2";
    public override string Title => "Multi-task CNN: item and group together";
    public override string SeedText => "Build a multi-task network that shares the convolutional layers and the dense layer of 3136 units, with two heads [1024, 100, 10] for the item and [1024, 100, 3] for the group. Train it with the loss λ·loss1 + (1 − λ)·loss2 and one Adam optimiser for λ ∈ {0, 0.25, 0.5, 0.75, 1} with identical hyperparameters, and compare both accuracies with the single-task networks.";
    public override IReadOnlyList<string> DependsOn => new[] { "6.1" };
    public override object Settings(Profile profile) => new Settings_(T6_1SingleTask.TrainingFor(profile), Lambdas);
    public override object Settings(HarnessOptions options) => new Settings_(T6_1SingleTask.TrainingFor(options), Lambdas);
    static readonly double[] Lambdas = { 0, 0.25, 0.5, 0.75, 1 };

    public override IReadOnlyList<Requirement> Requirements { get; } = new[]
    {
        Requirement.Holds("cm500335.6.2.lambda0", "At λ = 0 the item head receives no gradient: its weights are bit for bit those of the initialisation (and the group head's are not).", 1, "item_head_frozen_at_lambda0"),
        Requirement.Holds("cm500335.6.2.lambda1", "At λ = 1 the group head receives no gradient: its weights are bit for bit those of the initialisation (and the item head's are not).", 1, "group_head_frozen_at_lambda1"),
        Requirement.Exactly("cm500335.6.2.table", "Item and group accuracy are tabulated for all five λ, trained with identical hyperparameters from the same initial weights.", 1, "lambdas_trained", 5),
        Requirement.AtMost("cm500335.6.2.item-gap", "At λ = 0.5 the item accuracy is within 1 point of the single-task CNN's (full; smoke: 10 points; the report gives the gap).", 1,
            "item_gap_lambda050", full: 0.01, smoke: 0.10, format: "0.0000"),
        Requirement.AtMost("cm500335.6.2.group-gap", "At λ = 0.5 the group accuracy is within 1 point of the single-task CNN's (full; smoke: 10 points; the report gives the gap).", 1,
            "group_gap_lambda050", full: 0.01, smoke: 0.10, format: "0.0000"),
    };

    static string Key(double lambda) => ((int)Math.Round(lambda * 100)).ToString("000", CultureInfo.InvariantCulture);

    public override void Run(RunContext ctx)
    {
        var s = (Settings_)Settings(ctx.Options);
        var single = ctx.Dependency("6.1").Record;
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
            var clock = Stopwatch.StartNew();
            var losses = Train(ctx, model, items.Train, groupOf, lambda, s.Training);
            var seconds = clock.Elapsed.TotalSeconds;
            ctx.TimeSection($"train_seconds_lambda{Key(lambda)}", seconds);
            var after = ModelState.Snapshot(model);
            // Exact element-wise equality with the initial weights (torch.equal; cheaper than comparing byte arrays).
            var changed = before.Keys.Where(k => !before[k].eq(after[k]).all().item<bool>()).ToList();
            bool itemChanged = changed.Any(n => n.StartsWith("item_", StringComparison.Ordinal));
            bool groupChanged = changed.Any(n => n.StartsWith("group_", StringComparison.Ordinal));
            foreach (var t in before.Values.Concat(after.Values)) t.Dispose();
            if (lambda == 0) ctx.Value("item_head_frozen_at_lambda0", !itemChanged && groupChanged ? 1 : 0);
            if (lambda == 1) ctx.Value("group_head_frozen_at_lambda1", !groupChanged && itemChanged ? 1 : 0);

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

        string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);
        ctx.Table("lambda_sweep", $"Multi-task CNN for each λ (loss λ·item + (1 − λ)·group): test accuracy of both heads and last-epoch training loss; single-task CNNs of 6.1 for reference ({items.Train.Count:N0} training images, {s.Training.Epochs} epoch(s), batch {s.Training.BatchSize}).",
            new[] { "λ", "item accuracy", "group accuracy", "final training loss", "training time (s)" },
            rows.Select(r => (IReadOnlyList<string>)new[] { r.Lambda.ToString("0.00", CultureInfo.InvariantCulture), P(r.Item), P(r.Group),
                r.Loss.ToString("0.0000", CultureInfo.InvariantCulture), r.Seconds.ToString("0.0", CultureInfo.InvariantCulture) })
            .Append(new[] { "single-task (6.1)", P(singleItem), P(singleGroup), "–", "–" }));
        var lambdas = rows.Select(r => r.Lambda).ToArray();
        ctx.Figure("accuracy_vs_lambda", "Test accuracy of the item and group heads against λ, with the single-task CNNs of 6.1 as flat lines.",
            new LineChartSpec("Multi-task accuracy vs λ", "λ (weight of the item loss)", "test accuracy (%)", new[]
            {
                new LineSeries("item head", lambdas, rows.Select(r => 100 * r.Item).ToArray()),
                new LineSeries("group head", lambdas, rows.Select(r => 100 * r.Group).ToArray()),
                new LineSeries("single-task item", lambdas, lambdas.Select(_ => 100 * singleItem).ToArray()),
                new LineSeries("single-task group", lambdas, lambdas.Select(_ => 100 * singleGroup).ToArray()),
            }));

        string Gap(double single_, double multi, string task) => multi >= single_ - 0.01
            ? $"within 1 point of the single-task {task} CNN ({P(multi)} against {P(single_)})"
            : $"{100 * (single_ - multi):0.00} points below the single-task {task} CNN ({P(multi)} against {P(single_)}), missing the 1-point target by {100 * (single_ - multi) - 1:0.00} points";
        ctx.Observe($"At λ = 0.5 the item head is {Gap(singleItem, half.Item, "item")}, and the group head {Gap(singleGroup, half.Group, "group")}.");
        var bestItem = rows.MaxBy(r => r.Item); var bestGroup = rows.MaxBy(r => r.Group);
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Item accuracy is best at λ = {bestItem.Lambda:0.00} ({P(bestItem.Item)}) and group accuracy at λ = {bestGroup.Lambda:0.00} ({P(bestGroup.Group)}); at λ = 0 the untrained item head scores {P(rows[0].Item)} and at λ = 1 the untrained group head {P(rows[^1].Group)} (chance is 10% and about 33%)."));
    }

    /// <summary>The brief's training loop for the two-headed network: shuffled mini-batches, one Adam optimiser over all parameters.</summary>
    private static double[] Train(RunContext ctx, MultiTaskFashionCnn model, ImageDataSet train, Tensor groupOf, double lambda, FashionSettings s)
    {
        model.train();
        using var opt = optim.Adam(model.parameters(), lr: s.LearningRate);
        var losses = new List<double>();
        for (int epoch = 1; epoch <= s.Epochs; epoch++)
        {
            double sum = 0; long n = 0;
            using var bar = ctx.Progress.Start($"6.2 λ={lambda:0.00} epoch {epoch}/{s.Epochs}", Batches.CountOf(train.Count, s.BatchSize));
            foreach (var idx in Batches.Shuffled(train.Count, s.BatchSize, ctx.Seed, epoch))
            {
                using var scope = NewDisposeScope();
                using var index = tensor(idx);
                var x = train.Images.index_select(0, index).to(ctx.Device);
                var yItem = train.Labels.index_select(0, index);
                var yGroup = groupOf.index_select(0, yItem).to(ctx.Device);
                opt.zero_grad();
                var (item, group) = model.call(x);
                var loss = lambda * nn.functional.cross_entropy(item, yItem.to(ctx.Device)) + (1 - lambda) * nn.functional.cross_entropy(group, yGroup);
                var lv = loss.item<float>();
                if (!float.IsFinite(lv)) throw new TrainingDivergedException($"6.2 λ={lambda}: the loss became {lv} in epoch {epoch}.");
                loss.backward();
                opt.step();
                sum += lv * idx.Length; n += idx.Length;
                bar.Advance(1, $"loss {sum / n:0.0000}");
            }
            losses.Add(sum / n);
            ctx.Progress.Message($"6.2 λ={lambda:0.00} epoch {epoch}: training loss {sum / n:0.0000}");
        }
        return losses.ToArray();
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
