using System.Text.Json.Serialization;

namespace Harness.Tasks.Hw4;

/// <summary>Epochs, batch size and Adam learning rate of an autoencoder (trained on the MSE to the clean image, last epoch kept).</summary>
public sealed record AutoencoderSettings(int Epochs, int BatchSize, double LearningRate)
{
    [JsonIgnore] public TrainingRecipe Recipe => new(Epochs, BatchSize, new OptimizerSpec("Adam", LearningRate));
    /// <summary>The training's size for time estimates (the test reconstruction is measured after every epoch).</summary>
    public double Work(int trainImages, int testImages) => WorkVolume.Training(Epochs, trainImages, testImages);
}
