namespace Harness.Tasks.Comp0090;

/// <summary>How a training to convergence is recorded: its per-epoch losses, where it stopped, and the scores of the kept weights.</summary>
public static class ConvergenceRecorder
{
    /// <summary>
    /// Series "{prefix}train_loss" (the training objective per epoch), "{prefix}validation_loss" and
    /// "{prefix}validation_accuracy"; values "{prefix}stopped_epoch", "{prefix}best_epoch", "{prefix}early_stopped" and
    /// the final scores; with <paramref name="figures"/> the loss curve and the per-epoch table.
    /// </summary>
    public static void Record(RunContext ctx, Fitted f, string prefix, string label, bool figures = true)
    {
        var r = f.Result;
        var epochs = r.Epochs.Select(e => (double)e.Epoch).ToArray();
        var train = r.Series(Metric.TrainLoss);
        var validation = r.Series(Metric.ValidationLoss);
        ctx.Series(prefix + "train_loss", train);
        ctx.Series(prefix + "validation_loss", validation);
        ctx.Series(prefix + "validation_accuracy", r.Series(Metric.ValidationAccuracy));
        ctx.Value(prefix + "stopped_epoch", f.StoppedAt);
        ctx.Value(prefix + "best_epoch", r.BestEpoch);
                f.Scores.Record(ctx, prefix);
        TrainingRecorder.RecordTiming(ctx, r, prefix);
        if (!figures) return;
        ctx.Figure(prefix + "loss_curve", $"{label}: training and validation loss per epoch (best epoch {r.BestEpoch}, stopped after epoch {f.StoppedAt}).",
            new LineChartSpec($"{label}: loss", "epoch", "cross-entropy loss", [new("training (objective)", epochs, train), new("validation", epochs, validation)]));
        ctx.Table(prefix + "epochs", $"{label}: per epoch, the training objective (mean over its batches), validation loss and accuracy; * marks the kept epoch.",
            ["epoch", "train loss", "val. loss", "val. acc."],
            r.Epochs.Select(e => (IReadOnlyList<string>)[e.Epoch.ToString(CultureInfo.InvariantCulture) + (e.Epoch == r.BestEpoch ? " *" : ""),
                Show.Fixed(e.TrainLoss), Show.Fixed(e.ValidationLoss!.Value), Show.Percent(e.ValidationAccuracy!.Value)]));
    }

    /// <summary>Whether early stopping ended the training, and where: for the finding of a "converged" check.</summary>
    public static string ConvergedFinding(Fitted f, Convergence c) => f.Converged(c)
        ? $"stopped after epoch {f.StoppedAt}: validation loss lowest at epoch {f.Result.BestEpoch} ({Show.Fixed(f.Result.Best[Metric.ValidationLoss])}), not lower in the {c.Patience} epochs after it"
        : $"still improving at the cap of {c.MaxEpochs} epochs (lowest validation loss at epoch {f.Result.BestEpoch})";

    /// <summary>
    /// Judged from the record: "{prefix}train_loss" and "{prefix}validation_loss" hold a finite value for every epoch up to
    /// "{prefix}stopped_epoch", and the loss curve is among the figures.
    /// </summary>
    public static Requirement CurvesRequirement(string id, string text, double points, string prefix = "") => new(id, text, points, r =>
    {
        int stopped = (int)r.Value(prefix + "stopped_epoch");
        var found = new Findings();
        foreach (var name in new[] { prefix + "train_loss", prefix + "validation_loss" })
        {
            var series = r.Series.GetValueOrDefault(name) ?? [];
            found.Expect(series.Length == stopped && series.All(double.IsFinite), () => $"{name}: {series.Length} values ({series.Count(v => !double.IsFinite(v))} not finite) for {stopped} epochs");
        }
        found.Expect(r.Figures.Any(f => f.Id == prefix + "loss_curve"), $"no figure {prefix}loss_curve");
        return Verdict.Of(found.Holds, found.Holds ? $"{stopped} epochs" : "incomplete", "every epoch", found.Finding("both losses for every epoch, and their plot"));
    }) { Value = prefix + "stopped_epoch" };
}
