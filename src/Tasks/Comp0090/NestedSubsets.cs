namespace Harness.Tasks.Comp0090;

/// <summary>
/// Seeded, stratified and nested subsets: each class's rows are put in one seeded order, and the subset of a fraction f
/// takes the first round(f · n) rows of each class, so the subset of a smaller fraction lies inside that of every
/// larger one (5% ⊂ 10% ⊂ … ⊂ 100%) and class proportions are kept to within one image per class.
/// </summary>
public static class NestedSubsets
{
    /// <summary>Positions (sorted) into <paramref name="labels"/> of the subset of <paramref name="fraction"/>.</summary>
    public static long[] Take(long[] labels, double fraction, int seed, long stream)
    {
        if (fraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fraction), "must be in (0, 1]");
        var result = new List<long>();
        foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var rows = group.Select(i => (long)i).ToArray();
            new SeededRandom(seed, stream, group.Key).Shuffle(rows);
            result.AddRange(rows.Take((int)Math.Round(fraction * rows.Length, MidpointRounding.AwayFromZero)));
        }
        return result.Order().ToArray();
    }
}
