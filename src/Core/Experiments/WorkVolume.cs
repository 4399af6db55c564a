namespace Harness.Core.Experiments;

/// <summary>
/// The size of a run in image passes — a training image's forward and backward pass counts 1, an evaluated image's
/// forward pass 1/3 (a backward pass costs about twice a forward one). Only ratios between two runs of the same task
/// are used (a measured smoke run scaled to the full profile), so the models' own costs cancel out.
/// </summary>
public static class WorkVolume
{
    public const double EvaluationShare = 1.0 / 3;
    /// <summary>A run whose size does not change between profiles (it only reads other records, or draws a fixed number of steps).</summary>
    public const double Constant = 1;

    /// <summary>Training for <paramref name="epochs"/> over <paramref name="trainImages"/>, evaluating <paramref name="evalImagesPerEpoch"/> after each epoch.</summary>
    public static double Training(int epochs, long trainImages, long evalImagesPerEpoch = 0) =>
        epochs * (trainImages + evalImagesPerEpoch * EvaluationShare);

    /// <summary>One forward pass over <paramref name="images"/>.</summary>
    public static double Evaluation(long images) => images * EvaluationShare;

    /// <summary>An optimizer step's cost per weight, in multiply-accumulates (Adam reads and writes weight, gradient and two moments).</summary>
    public const double OptimizerCostPerWeight = 10;

    /// <summary>
    /// Training where the model itself changes size between profiles (cm500335 6.1/6.2 narrow their dense layers at
    /// smoke): each image weighted by its forward pass's multiply-accumulates (three for forward and backward), plus
    /// the optimizer's pass over every weight once per batch; in units of a 1M-multiply-accumulate model's image passes.
    /// </summary>
    public static double WeightedTraining(int epochs, long trainImages, long evalImagesPerEpoch, double macsPerImage, double parameters, int batchSize) =>
        epochs * (trainImages * (3 * macsPerImage + OptimizerCostPerWeight * parameters / batchSize) + evalImagesPerEpoch * macsPerImage) / 3e6;
}
