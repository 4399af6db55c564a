using System.Text.Json.Serialization;

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

    [JsonIgnore] public DataSizes Sizes => new(TrainImages, ValidationImages, TestImages);
    [JsonIgnore] public TrainingRecipe Recipe => new(Epochs, BatchSize, new OptimizerSpec(Optimizer, LearningRate, StepDecay: LrDecayPerEpoch));
    /// <summary>The size of a run in words, for requirement texts ("3,000 training images and 2 epochs").</summary>
    /// <summary>The training's size for time estimates: every epoch trains on the training images and evaluates validation and test.</summary>
    [JsonIgnore] public double Work => WorkVolume.Training(Epochs, TrainImages, ValidationImages + TestImages);
    [JsonIgnore] public string Scale => $"{Show.Count(TrainImages)} training images and {Epochs} epochs";
}
