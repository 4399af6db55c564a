using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Harness.Tasks.Comp0090;

/// <summary>Original image ids of one half's parts (training file row i → id i, test file row j → id 60,000 + j).</summary>
public sealed record HalfIds(long[] Train, long[] Validation, long[] Test)
{
    [JsonIgnore] public IEnumerable<long> All => Train.Concat(Validation).Concat(Test);
}

/// <summary>
/// Every one of Fashion-MNIST's images in exactly one place: a part of Fashion-MNIST-1 or -2, or set aside as an exact
/// copy of a kept image. <see cref="Pixels"/> holds each image's SHA-256 (of its 784 bytes), by id, for the checks.
/// </summary>
public sealed record FashionPartition(HalfIds Fm1, HalfIds Fm2, long[] SetAside, int DuplicateGroups, int TotalImages, string[] Pixels)
{
    public HalfIds Half(int half) => half == 1 ? Fm1 : Fm2;
}

/// <summary>How many images of each part a run uses: null = the whole part; smaller = a seeded, stratified subset of it.</summary>
public sealed record HalfSizes(int? Train, int? Validation, int? Test)
{
    public static readonly HalfSizes Whole = new(null, null, null);
    [JsonIgnore] public string TrainScale => Train is { } n ? $"{Show.Count(n)} training images" : "every training image";
    /// <summary>The counts a run uses (a half's whole parts: 27,000 training, 3,000 validation and 5,000 test images), for time estimates.</summary>
    [JsonIgnore] public int TrainCount => Train ?? 27000;
    [JsonIgnore] public int ValidationCount => Validation ?? 3000;
    [JsonIgnore] public int TestCount => Test ?? 5000;
}

/// <summary>One half's parts as the networks see them: pixels x/255 in [0, 1], labels relabelled 0–4, with their original ids.</summary>
public sealed record FashionHalf(int Number, ImageDataSet Train, ImageDataSet Validation, ImageDataSet Test, HalfIds Ids)
{
    public string Name => $"FM-{Number}";
}

/// <summary>
/// Fashion-MNIST-1 and Fashion-MNIST-2, "of equal size and both contain a disjoint half of the original labels": FM-1
/// holds labels 0–4 (T-shirt/top, trouser, pullover, dress, coat), FM-2 labels 5–9 (sandal, shirt, sneaker, bag,
/// ankle boot), each relabelled 0–4. The test file gives each half its test part; 10% of each class of the training
/// file (600 images) is carved out, seeded, as its validation part (Fashion-MNIST has none).
/// <para>Exact duplicates (byte-identical pixels) are looked for over all 70,000 images (the canonical files hold
/// none). Should a copy exist, one image of each group is kept (its test-file copy when it has one, so the test set
/// stays canonical; else its first training-file copy) and the others are set aside, so that no image can be in two
/// parts of a half (or of the two halves).</para>
/// <para>Pixels are not standardised: the autoencoder of 3.4 reconstructs them, and 3.5 moves weights between the
/// halves, so every network sees one input scale.</para>
/// </summary>
public static class FashionHalves
{
    public static readonly int[] Fm1Labels = [0, 1, 2, 3, 4], Fm2Labels = [5, 6, 7, 8, 9];
    public const double ValidationFraction = 0.1;
    public const int Classes = 5;

    /// <summary>Random streams of the smoke subsets (one per half and part); the fraction sweeps use their own.</summary>
    private const long SubsetStream = 0xC0090;

    public static int[] Labels(int half) => half == 1 ? Fm1Labels : Fm2Labels;

    /// <summary>The partition of a seed (the validation split is the seeded part), computed once per process.</summary>
    public static FashionPartition Partition(TrainTest data, int seed)
    {
        lock (Partitions)
        {
            if (!Partitions.TryGetValue(seed, out var p)) Partitions[seed] = p = Split(data, seed);
            return p;
        }
    }

    private static readonly Dictionary<int, FashionPartition> Partitions = new();

    /// <summary>Splits <paramref name="data"/>; see the class for the rules. Public for the tests of the rules on small sets.</summary>
    public static FashionPartition Split(TrainTest data, int seed)
    {
        int nTrain = data.Train.Count;
        var pixels = PixelKeys(data.Train).Concat(PixelKeys(data.Test)).ToArray();
        var labels = data.Train.LabelArray().Concat(data.Test.LabelArray()).ToArray();
        var (setAside, groups) = Duplicates(pixels, nTrain);
        var aside = setAside.ToHashSet();

        HalfIds Half(int[] classes)
        {
            var train = Enumerable.Range(0, nTrain).Select(i => (long)i).Where(i => classes.Contains((int)labels[i]) && !aside.Contains(i)).ToArray();
            var (t, v) = Splits.Stratified(train.Select(i => labels[i]).ToArray(), ValidationFraction, seed);
            var test = Enumerable.Range(nTrain, data.Test.Count).Select(i => (long)i).Where(i => classes.Contains((int)labels[i]) && !aside.Contains(i)).ToArray();
            return new HalfIds(t.Select(i => train[i]).ToArray(), v.Select(i => train[i]).ToArray(), test);
        }
        return new FashionPartition(Half(Fm1Labels), Half(Fm2Labels), setAside, groups, pixels.Length, pixels);
    }

    /// <summary>
    /// Ids set aside as exact copies, and the number of groups of copies: of each group the first test-file id is kept
    /// when there is one (ids ≥ <paramref name="testFrom"/>), else the first id.
    /// </summary>
    public static (long[] SetAside, int Groups) Duplicates(IReadOnlyList<string> pixels, int testFrom)
    {
        var groups = Enumerable.Range(0, pixels.Count).GroupBy(i => pixels[i]).Where(g => g.Count() > 1).ToList();
        var aside = groups.SelectMany(g =>
        {
            var keep = g.Cast<int?>().FirstOrDefault(i => i >= testFrom) ?? g.First();
            return g.Where(i => i != keep).Select(i => (long)i);
        }).Order().ToArray();
        return (aside, groups.Count);
    }

    /// <summary>One half's parts at the given sizes (stratified, seeded subsets of each part when smaller).</summary>
    public static FashionHalf Load(RunContext ctx, int half, HalfSizes sizes)
    {
        var data = ctx.Data.FashionMnist();
        var ids = Partition(data, ctx.Seed).Half(half);
        var labels = data.Train.LabelArray().Concat(data.Test.LabelArray()).ToArray();
        long[] Sub(long[] part, int? n, long stream) => n is { } count && count < part.Length
            ? NestedSubsets.Take(part.Select(i => labels[i]).ToArray(), (double)count / part.Length, ctx.Seed, stream).Select(i => part[i]).ToArray() : part;
        var used = new HalfIds(Sub(ids.Train, sizes.Train, SubsetStream + 3 * half), Sub(ids.Validation, sizes.Validation, SubsetStream + 3 * half + 1),
            Sub(ids.Test, sizes.Test, SubsetStream + 3 * half + 2));
        return new FashionHalf(half, Images(data, used.Train, half, $"FM-{half} train"), Images(data, used.Validation, half, $"FM-{half} validation"),
            Images(data, used.Test, half, $"FM-{half} test"), used);
    }

    /// <summary>The images of these ids (either file), relabelled 0–4 within the half.</summary>
    public static ImageDataSet Images(TrainTest data, long[] ids, int half, string name)
    {
        int nTrain = data.Train.Count, first = Labels(half)[0];
        var fromTrain = ids.Where(i => i < nTrain).ToArray();
        var fromTest = ids.Where(i => i >= nTrain).Select(i => i - nTrain).ToArray();
        if (fromTrain.Length > 0 && fromTest.Length > 0) throw new ArgumentException($"{name}: a part comes from one file");
        var source = fromTest.Length > 0 ? data.Test.Subset(fromTest, name) : data.Train.Subset(fromTrain, name);
        var classNames = Labels(half).Select(l => data.Train.ClassNames[l]).ToArray();
        using (no_grad()) source.Labels.sub_(first);
        return new ImageDataSet(name, source.Images, source.Labels, classNames);
    }

    /// <summary>The SHA-256 of each image's bytes (x·255, exactly the stored byte), in order.</summary>
    public static string[] PixelKeys(ImageDataSet set)
    {
        var keys = new string[set.Count];
        for (int from = 0; from < set.Count; from += 1000)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(1000, set.Count - from);
            var bytes = set.Gather(arange(from, from + n, dtype: ScalarType.Int64)).mul(255).round().to_type(ScalarType.Byte).reshape(n, -1).contiguous();
            var all = bytes.data<byte>().ToArray();
            int size = all.Length / n;
            for (int i = 0; i < n; i++) keys[from + i] = Convert.ToHexString(SHA256.HashData(all.AsSpan(i * size, size)));
        }
        return keys;
    }
}
