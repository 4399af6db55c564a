namespace Harness.Tasks.Hw4;

/// <summary>
/// 2(d)'s data augmentation: every training image is shifted by a random offset of up to ±<c>maxShift</c> pixels in
/// each direction (the uncovered border gets the background value) and mirrored left–right with probability ½.
/// Seeded by (seed, epoch, batch within the epoch), so a run is reproducible.
/// </summary>
public sealed class Augmentation(int seed, int maxShift, float background)
{
    public Tensor Apply(Tensor x, Batch batch)
    {
        var rng = new SeededRandom(seed, 0xa09, batch.Epoch, batch.Number);
        int n = (int)x.shape[0], h = (int)x.shape[2], w = (int)x.shape[3];
        var padded = nn.functional.pad(x, new long[] { maxShift, maxShift, maxShift, maxShift }, value: background);
        var images = new Tensor[n];
        for (int i = 0; i < n; i++)
        {
            int dy = rng.NextInt(2 * maxShift + 1), dx = rng.NextInt(2 * maxShift + 1);
            var img = padded[i].narrow(1, dy, h).narrow(2, dx, w);
            images[i] = rng.NextInt(2) == 0 ? img : img.flip(2);
        }
        return stack(images);
    }
}
