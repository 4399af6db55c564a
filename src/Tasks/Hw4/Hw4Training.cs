using TorchSharp;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Training;
using Harness.Tasks.Common;
using static TorchSharp.torch;

namespace Harness.Tasks.Hw4;

/// <summary>
/// The training protocol of Problems 2 and 3's classifiers: Adam, batch 64, 10% of the training images held out for
/// validation (best epoch chosen by validation accuracy). Full: all 60,000/10,000 images; smoke: stratified subsets.
/// </summary>
public sealed record Hw4TrainSettings(int Epochs, int TrainImages, int ValidationImages, int TestImages, int BatchSize, string Optimizer, double LearningRate)
{
    /// <param name="smokeLearningRate">a larger rate lets the few smoke steps get somewhere (full: always 1e-3)</param>
    public static Hw4TrainSettings For(Profile profile, int fullEpochs, int smokeEpochs = 2, double smokeLearningRate = 1e-3) => profile == Profile.Full
        ? new(fullEpochs, 54000, 6000, 10000, 64, "Adam", 1e-3)
        : new(smokeEpochs, 1000, 200, 500, 32, "Adam", smokeLearningRate);

    [System.Text.Json.Serialization.JsonIgnore] public DataSizes Sizes => new(TrainImages, ValidationImages, TestImages);
}

public static class Hw4Training
{
    public static TrainingResult Train(RunContext ctx, nn.Module<Tensor, Tensor> model, PreparedData data, Hw4TrainSettings s, string label,
        Func<Tensor, int, Tensor>? augment = null, bool cosine = false, double weightDecay = 0)
    {
        model.to(ctx.Device);
        var trainer = new Trainer(model, ps => weightDecay > 0 ? optim.AdamW(ps, s.LearningRate, weight_decay: weightDecay) : optim.Adam(ps, s.LearningRate),
            new TrainConfig(s.Epochs, s.BatchSize), ctx.Device, ctx.Progress)
        {
            Augment = augment,
            Label = label,
            Checkpoint = ctx.Checkpoint(label),
            Schedule = cosine ? opt => optim.lr_scheduler.CosineAnnealingLR(opt, s.Epochs) : null,
        };
        return trainer.Fit(data.Train, data.Validation, data.Test, ctx.Seed);
    }
}
