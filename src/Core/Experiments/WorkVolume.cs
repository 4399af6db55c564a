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
}
