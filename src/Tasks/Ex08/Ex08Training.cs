using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Training;
using Harness.Tasks.Common;
using static TorchSharp.torch;

namespace Harness.Tasks.Ex08;

/// <summary>
/// The training protocol shared by Q1.2–Q1.5, as in the PyTorch MNIST example: Adadelta (lr 1.0), learning rate × 0.7
/// after every epoch, batch 64, 10 epochs at the full profile; 10% of the training images held out for validation,
/// and the best epoch chosen by validation accuracy.
/// </summary>
public sealed record Ex08TrainSettings(int Epochs, int TrainImages, int ValidationImages, int TestImages, int BatchSize,
    string Optimizer, double LearningRate, double LrDecayPerEpoch)
{
    public static Ex08TrainSettings For(Profile profile) => profile == Profile.Full
        ? new(10, 54000, 6000, 10000, 64, "Adadelta", 1.0, 0.7)
        : new(2, 3000, 500, 2000, 64, "Adadelta", 1.0, 0.7);

    [System.Text.Json.Serialization.JsonIgnore] public DataSizes Sizes => new(TrainImages, ValidationImages, TestImages);
}

public static class Ex08Training
{
    public static Trainer CreateTrainer(RunContext ctx, nn.Module<Tensor, Tensor> model, Ex08TrainSettings s, string label,
        Func<Tensor, int, Tensor>? augment = null) =>
        new(model, ps => optim.Adadelta(ps, lr: s.LearningRate), new TrainConfig(s.Epochs, s.BatchSize), ctx.Device, ctx.Progress)
        {
            Schedule = opt => optim.lr_scheduler.StepLR(opt, 1, s.LrDecayPerEpoch),
            Augment = augment,
            Label = label,
            Checkpoint = ctx.Checkpoint(label),
        };

    public static TrainingResult Train(RunContext ctx, nn.Module<Tensor, Tensor> model, PreparedData data, Ex08TrainSettings s, string label,
        Func<Tensor, int, Tensor>? augment = null) =>
        CreateTrainer(ctx, model, s, label, augment).Fit(data.Train, data.Validation, data.Test, ctx.Seed);
}
