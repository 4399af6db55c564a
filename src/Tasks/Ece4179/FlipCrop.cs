using Harness.Tasks.Ex08.Augmentation;

namespace Harness.Tasks.Ece4179;

/// <summary>How Q2.2 and Q2.3 augment: the probability of a horizontal flip and the padding of the random crop, in pixels.</summary>
public sealed record AugmentSettings(double FlipProbability, int CropPadding)
{
    public FlipCrop For(int seed) => new(seed, FlipProbability, CropPadding);
    public string Text => $"random horizontal flip (p = {Show.Short(FlipProbability)}), random crop of 96×96 from the image padded by {CropPadding} px (the training mean colour)";
}

/// <summary>
/// Q2.2's augmentation of standardised N×3×96×96 batches: a random horizontal flip, then a random crop with padding (the
/// image padded by <c>padding</c> pixels of value 0 — the training mean colour after standardisation — and a 96×96
/// window cut at a random offset, i.e. a random shift by up to ±padding pixels). The draws come from a
/// <see cref="SeededRandom"/> stream of (seed, epoch, batch), so training is reproducible and resumes with the same draws;
/// the flip and crop themselves are Ex08's batch operations.
/// </summary>
public sealed class FlipCrop(int seed, double flipProbability, int padding)
{
    /// <summary>The padding's value: 0 after per-channel standardisation is each channel's training mean.</summary>
    public const float Fill = 0f;

    public Tensor Apply(Tensor x, Batch batch)
    {
        var rng = new SeededRandom(seed, 0xf11c, batch.Epoch, batch.Number);
        int n = (int)x.shape[0];
        var flips = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < flipProbability).ToArray();
        var dy = Enumerable.Range(0, n).Select(_ => rng.NextInt(2 * padding + 1)).ToArray();
        var dx = Enumerable.Range(0, n).Select(_ => rng.NextInt(2 * padding + 1)).ToArray();
        return BatchAugmentation.Crop(BatchAugmentation.HorizontalFlip(x, flips), padding, dy, dx, Fill);
    }
}
