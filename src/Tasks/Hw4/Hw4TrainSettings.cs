using System.Text.Json.Serialization;

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

    [JsonIgnore] public DataSizes Sizes => new(TrainImages, ValidationImages, TestImages);
    [JsonIgnore] public TrainingRecipe Recipe => new(Epochs, BatchSize, new OptimizerSpec(Optimizer, LearningRate));
    /// <summary>The recipe with AdamW (this weight decay) and a cosine schedule to 0 over the epochs (2(d)'s last step).</summary>
    public TrainingRecipe AdamWCosine(double weightDecay) => new(Epochs, BatchSize, new OptimizerSpec("AdamW", LearningRate, weightDecay, CosineEpochs: Epochs));
    /// <summary>The size of a run in words, for requirement texts ("1,000 training images and 2 epochs").</summary>
    /// <summary>The training's size for time estimates: every epoch trains on the training images and evaluates validation and test.</summary>
    [JsonIgnore] public double Work => WorkVolume.Training(Epochs, TrainImages, ValidationImages + TestImages);
    [JsonIgnore] public string Scale => $"{Show.Count(TrainImages)} training images and {Epochs} epochs";
}
