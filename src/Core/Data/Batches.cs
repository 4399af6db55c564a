namespace Harness.Core.Data;

/// <summary>
/// Index batches. Shuffled order comes from our own generator seeded with (seed, epoch), so every epoch has its
/// own order and the same seed gives the same orders (TorchSharp's DataLoader(seed:) repeats one order every epoch).
/// </summary>
public static class Batches
{
    public static IEnumerable<long[]> Shuffled(int count, int batchSize, int seed, int epoch, bool dropLast = false)
    {
        var order = new SeededRandom(seed, 0xba7c, epoch).Permutation(count);
        return Chunk(order, batchSize, dropLast);
    }

    public static IEnumerable<long[]> Sequential(int count, int batchSize)
    {
        var order = new long[count];
        for (int i = 0; i < count; i++) order[i] = i;
        return Chunk(order, batchSize, dropLast: false);
    }

    public static int CountOf(int count, int batchSize, bool dropLast = false) =>
        dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;

    private static IEnumerable<long[]> Chunk(long[] order, int batchSize, bool dropLast)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize));
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int n = Math.Min(batchSize, order.Length - start);
            if (dropLast && n < batchSize) yield break;
            yield return order.AsSpan(start, n).ToArray();
        }
    }
}
