namespace Harness.Core.Data;

/// <summary>Seeded, stratified index splits and subsets (class proportions kept within one sample per class).</summary>
public static class Splits
{
    /// <summary>Splits indices 0..N-1 into disjoint train/validation parts, <paramref name="validationFraction"/> of each class to validation.</summary>
    public static (long[] Train, long[] Validation) Stratified(long[] labels, double validationFraction, int seed)
    {
        if (validationFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validationFraction), "must be in [0, 1)");
        var train = new List<long>(); var val = new List<long>();
        foreach (var group in ByClass(labels))
        {
            var idx = group.Value;
            new SeededRandom(seed, 0x5b17, group.Key).Shuffle(idx);
            int nVal = (int)Math.Round(idx.Length * validationFraction);
            val.AddRange(idx.Take(nVal)); train.AddRange(idx.Skip(nVal));
        }
        var t = train.ToArray(); var v = val.ToArray();
        Array.Sort(t); Array.Sort(v);
        return (t, v);
    }

    /// <summary>A stratified subset of about <paramref name="count"/> indices (for the smoke profile).</summary>
    public static long[] StratifiedSubset(long[] labels, int count, int seed)
    {
        if (count >= labels.Length) return Enumerable.Range(0, labels.Length).Select(i => (long)i).ToArray();
        var result = new List<long>();
        var groups = ByClass(labels);
        foreach (var group in groups)
        {
            var idx = group.Value;
            new SeededRandom(seed, 0x5b5e7, group.Key).Shuffle(idx);
            result.AddRange(idx.Take((int)Math.Round((double)count * idx.Length / labels.Length)));
        }
        var r = result.ToArray();
        Array.Sort(r);
        return r;
    }

    private static SortedDictionary<long, long[]> ByClass(long[] labels)
    {
        var lists = new SortedDictionary<long, List<long>>();
        for (long i = 0; i < labels.Length; i++)
        {
            if (!lists.TryGetValue(labels[i], out var l)) lists[labels[i]] = l = new List<long>();
            l.Add(i);
        }
        return new SortedDictionary<long, long[]>(lists.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
    }
}
