using System.Globalization;
using Harness.Core.Metrics;
using Harness.Core.Records;
using Harness.Core.Training;
using static TorchSharp.torch;

namespace Harness.Core.Experiments;

/// <summary>
/// The standard way a task records a classifier: per-epoch series, best/final values, curves, an epoch table,
/// the architecture table and generated observations. Names are prefixed so that one task can record several models.
/// </summary>
public static class TrainingRecorder
{

    /// <summary>Records series "{prefix}train_loss", … and values "{prefix}best_epoch", "{prefix}best_test_accuracy", ….</summary>
    public static void Record(RunContext ctx, TrainingResult r, string prefix = "", string? label = null, bool figures = true)
    {
        label ??= ctx.Task.Title;
        var e = r.Epochs;
        ctx.Series(prefix + "train_loss", e.Select(x => x.TrainLoss));
        ctx.Series(prefix + "train_accuracy", e.Select(x => x.TrainAccuracy));
        ctx.Series(prefix + "test_loss", e.Select(x => x.TestLoss));
        ctx.Series(prefix + "test_accuracy", e.Select(x => x.TestAccuracy));
        bool hasVal = e[0].ValidationAccuracy is not null;
        if (hasVal)
        {
            ctx.Series(prefix + "validation_loss", e.Select(x => x.ValidationLoss!.Value));
            ctx.Series(prefix + "validation_accuracy", e.Select(x => x.ValidationAccuracy!.Value));
        }
        ctx.Value(prefix + "epochs", e.Count);
        ctx.Value(prefix + "best_epoch", r.BestEpoch);
        ctx.Value(prefix + "best_test_accuracy", r.Best.TestAccuracy);
        ctx.Value(prefix + "best_test_loss", r.Best.TestLoss);
        if (hasVal) ctx.Value(prefix + "best_validation_accuracy", r.Best.ValidationAccuracy!.Value);
        ctx.Value(prefix + "final_test_accuracy", r.Last.TestAccuracy);
        ctx.Value(prefix + "final_train_accuracy", r.Last.TrainAccuracy);
        ctx.Value(prefix + "first_train_loss", e[0].TrainLoss);
        ctx.Value(prefix + "final_train_loss", r.Last.TrainLoss);
        ctx.Value(prefix + "max_test_accuracy", e.Max(x => x.TestAccuracy));
        ctx.Check(prefix + "loss_falls", LossFalls(e), LossFallsFinding(e));
        RecordTiming(ctx, r, prefix);

        var epochs = e.Select(x => (double)x.Epoch).ToArray();
        if (figures)
        {
            var loss = new List<LineSeries> { new("train", epochs, e.Select(x => x.TrainLoss).ToArray()) };
            var acc = new List<LineSeries> { new("train", epochs, e.Select(x => 100 * x.TrainAccuracy).ToArray()) };
            if (hasVal)
            {
                loss.Add(new("validation", epochs, e.Select(x => x.ValidationLoss!.Value).ToArray()));
                acc.Add(new("validation", epochs, e.Select(x => 100 * x.ValidationAccuracy!.Value).ToArray()));
            }
            loss.Add(new("test", epochs, e.Select(x => x.TestLoss).ToArray()));
            acc.Add(new("test", epochs, e.Select(x => 100 * x.TestAccuracy).ToArray()));
            ctx.Figure(prefix + "loss_curve", $"{label}: cross-entropy loss per epoch.", new LineChartSpec($"{label}: loss", "epoch", "cross-entropy loss", loss));
            ctx.Figure(prefix + "accuracy_curve", $"{label}: accuracy per epoch.", new LineChartSpec($"{label}: accuracy", "epoch", "accuracy (%)", acc));
        }
        var cols = new List<string> { "epoch", "train loss", "train acc." };
        if (hasVal) cols.AddRange(new[] { "val. loss", "val. acc." });
        cols.AddRange(new[] { "test loss", "test acc." });
        ctx.Table(prefix + "epochs", $"{label}: per-epoch results (best epoch {r.BestEpoch}, chosen by {r.SelectedBy}).", cols,
            e.Select(x =>
            {
                var row = new List<string> { x.Epoch.ToString(CultureInfo.InvariantCulture) + (x.Epoch == r.BestEpoch ? " *" : ""), Show.Fixed(x.TrainLoss), Show.Percent(x.TrainAccuracy) };
                if (hasVal) row.AddRange(new[] { Show.Fixed(x.ValidationLoss!.Value), Show.Percent(x.ValidationAccuracy!.Value) });
                row.AddRange(new[] { Show.Fixed(x.TestLoss), Show.Percent(x.TestAccuracy) });
                return (IReadOnlyList<string>)row;
            }));
        ctx.Observe($"{label}: the best epoch by {r.SelectedBy} is epoch {r.BestEpoch} of {e.Count}, with test accuracy {Show.Percent(r.Best.TestAccuracy)}"
            + (hasVal ? $" (validation {Show.Percent(r.Best.ValidationAccuracy!.Value)})." : "."));
        var minTestLossEpoch = e.MinBy(x => x.TestLoss)!.Epoch;
        ctx.Observe($"{label}: training loss falls from {Show.Fixed(e[0].TrainLoss)} to {Show.Fixed(r.Last.TrainLoss)}; test loss is lowest at epoch {minTestLossEpoch}"
            + (minTestLossEpoch < e.Count && r.Last.TestLoss > e.Min(x => x.TestLoss) * 1.02 ? " and rises afterwards (over-fitting)." : "."));
    }

    /// <summary>
    /// Where a training's time went, in the record's timing part: the whole fit, the training steps alone (and the
    /// images per second they reach), the evaluation passes between epochs and the checkpoints.
    /// </summary>
    public static void RecordTiming(RunContext ctx, TrainingResult r, string prefix = "")
    {
        ctx.TimeSection(prefix + "train_seconds", r.Seconds);
        ctx.TimeSection(prefix + "train_step_seconds", r.StepSeconds);
        ctx.TimeSection(prefix + "eval_seconds", r.EvalSeconds);
        ctx.TimeSection(prefix + "checkpoint_seconds", r.CheckpointSeconds);
        ctx.TimeSection(prefix + "train_images_per_second", r.ImagesPerSecond);
    }

    /// <summary>The training loss of the last epoch is below that of the first, and no later epoch exceeds the first.</summary>
    public static bool LossFalls(IReadOnlyList<EpochResult> e) =>
        e.Count >= 2 && e[^1].TrainLoss < e[0].TrainLoss && e.Skip(1).All(x => x.TrainLoss <= e[0].TrainLoss);

    /// <summary>What <see cref="LossFalls"/> found: first and last training loss, and the highest after the first.</summary>
    public static string LossFallsFinding(IReadOnlyList<EpochResult> e) => e.Count < 2
        ? $"only {e.Count} epoch(s): nothing to compare"
        : $"training loss {Show.Fixed(e[0].TrainLoss)} at epoch 1, {Show.Fixed(e[^1].TrainLoss)} at epoch {e.Count}; highest after epoch 1: {Show.Fixed(e.Skip(1).Max(x => x.TrainLoss))} (epoch {e.Skip(1).MaxBy(x => x.TrainLoss)!.Epoch})";

    /// <summary>Records the architecture table (layer, output shape, parameters) and "{prefix}params_{layer}" / "{prefix}params_total".</summary>
    public static void RecordArchitecture(RunContext ctx, ITraceable model, long[] inputShape, string prefix = "", string? label = null)
    {
        var module = (nn.Module)model;
        var rows = ModelSummary.Architecture(model, inputShape);
        foreach (var (layer, count) in ModelSummary.ParameterCounts(module)) ctx.Value($"{prefix}params_{layer}", count);
        var total = ModelSummary.TotalParameters(module);
        ctx.Value(prefix + "params_total", total);
        ctx.Table(prefix + "architecture", $"{label ?? ctx.Task.Title}: layers, output shape per sample and parameters.",
            new[] { "layer", "output shape", "parameters" },
            rows.Select(r => (IReadOnlyList<string>)new[] { r.Layer, r.OutputShape, r.Parameters == 0 ? "–" : r.Parameters.ToString("N0", CultureInfo.InvariantCulture) })
                .Append(new[] { "total", "", total.ToString("N0", CultureInfo.InvariantCulture) }));
    }
}
