namespace Harness.Core.Data;

/// <summary>
/// A small, fully specified generator (SplitMix64) for shuffles and splits, so that orders are the same on
/// every machine and runtime version; streams are derived from (seed, purpose, epoch).
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(long seed, params long[] stream)
    {
        _state = (ulong)seed;
        foreach (var s in stream) { _state = Mix(_state ^ Mix((ulong)s + 0x9E3779B97F4A7C15UL)); }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64() { _state += 0x9E3779B97F4A7C15UL; return Mix(_state); }

    /// <summary>Uniform in [0, n) without modulo bias.</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)n;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (int)(r % (ulong)n);
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public void Shuffle<T>(T[] items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public long[] Permutation(int n)
    {
        var p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p);
        return p;
    }
}
