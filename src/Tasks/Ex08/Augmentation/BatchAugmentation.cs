namespace Harness.Tasks.Ex08.Augmentation;

/// <summary>
/// Data augmentation on whole batches of N×1×H×W tensors (no per-sample objects). Random parameters come from
/// <see cref="SeededRandom"/> streams keyed by (seed, epoch, batch within the epoch), so a run is reproducible on any
/// machine and resumes with the same draws.
/// The images are standardised, so "empty" pixels (padding, erased patches) take the background value
/// <c>Background</c> = (0 − mean)/std rather than 0.
/// </summary>
public sealed class BatchAugmentation(int seed, float background, double flipProbability, int cropPadding,
    double eraseProbability, int eraseSize)
{
    /// <summary>The trainer's hook: a fresh random stream for every batch of every epoch.</summary>
    public Tensor Apply(Tensor x, Batch batch)
    {
        var rng = new SeededRandom(seed, 0xa06, batch.Epoch, batch.Number);
        var n = (int)x.shape[0];
        var flips = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < flipProbability).ToArray();
        var dy = Enumerable.Range(0, n).Select(_ => rng.NextInt(2 * cropPadding + 1)).ToArray();
        var dx = Enumerable.Range(0, n).Select(_ => rng.NextInt(2 * cropPadding + 1)).ToArray();
        var erase = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < eraseProbability).ToArray();
        var ey = Enumerable.Range(0, n).Select(_ => rng.NextInt((int)x.shape[2] - eraseSize + 1)).ToArray();
        var ex = Enumerable.Range(0, n).Select(_ => rng.NextInt((int)x.shape[3] - eraseSize + 1)).ToArray();
        x = HorizontalFlip(x, flips);
        x = Crop(x, cropPadding, dy, dx, background);
        return Erase(x, erase, ey, ex, eraseSize, background);
    }

    /// <summary>Mirrors the selected images left–right (exactly: the columns in reverse order).</summary>
    public static Tensor HorizontalFlip(Tensor x, bool[] which)
    {
        using var mask = tensor(which).to(x.device).view(-1, 1, 1, 1);
        return where(mask, x.flip(3), x);
    }

    /// <summary>
    /// Pads every image by <paramref name="padding"/> background pixels and cuts an H×W window at offset (dy, dx) per image:
    /// a random translation by up to ±padding pixels; the shape is kept. Done with two gathers, one per axis.
    /// </summary>
    public static Tensor Crop(Tensor x, int padding, int[] dy, int[] dx, float background)
    {
        if (padding == 0) return x;
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        var padded = nn.functional.pad(x, new long[] { padding, padding, padding, padding }, value: background);
        using var baseRows = arange(h, dtype: int64, device: x.device);
        using var baseCols = arange(w, dtype: int64, device: x.device);
        using var oy = tensor(dy.Select(v => (long)v).ToArray()).to(x.device).view(-1, 1);
        using var ox = tensor(dx.Select(v => (long)v).ToArray()).to(x.device).view(-1, 1);
        var rows = (baseRows.unsqueeze(0) + oy).view(n, 1, h, 1).expand(n, c, h, w + 2 * padding);
        var byRows = padded.gather(2, rows);
        var cols = (baseCols.unsqueeze(0) + ox).view(n, 1, 1, w).expand(n, c, h, w);
        return byRows.gather(3, cols);
    }

    /// <summary>Random erasing (cutout): a size×size square at (ey, ex) set to the background in the selected images.</summary>
    public static Tensor Erase(Tensor x, bool[] which, int[] ey, int[] ex, int size, float background)
    {
        long h = x.shape[2], w = x.shape[3];
        using var rows = arange(h, dtype: int64, device: x.device).view(1, 1, h, 1);
        using var cols = arange(w, dtype: int64, device: x.device).view(1, 1, 1, w);
        using var y0 = tensor(ey.Select(v => (long)v).ToArray()).to(x.device).view(-1, 1, 1, 1);
        using var x0 = tensor(ex.Select(v => (long)v).ToArray()).to(x.device).view(-1, 1, 1, 1);
        using var on = tensor(which).to(x.device).view(-1, 1, 1, 1);
        var inside = rows.ge(y0).logical_and(rows.lt(y0 + size)).logical_and(cols.ge(x0)).logical_and(cols.lt(x0 + size)).logical_and(on);
        return where(inside, full_like(x, background), x);
    }
}
