using System.Text.Json.Serialization;

namespace Harness.Tasks.Ece4179;

/// <summary>
/// Images per class in each part of the 13,000 pooled labelled images: the seed's 8,000/2,000/3,000 are 800/200/300
/// per class at the full profile.
/// </summary>
public sealed record SplitSizes(int TrainPerClass, int ValidationPerClass, int TestPerClass)
{
    public static readonly SplitSizes Full = new(800, 200, 300);
    /// <summary>The CPU-sized split of the smoke profile, the same for every task.</summary>
    public static readonly SplitSizes Smoke = new(50, 20, 30);
    public static SplitSizes For(Profile profile) => profile == Profile.Full ? Full : Smoke;
    [JsonIgnore] public int Classes => Stl10Catalog.ClassNames.Length;
    [JsonIgnore] public int Train => TrainPerClass * Classes;
    [JsonIgnore] public int Validation => ValidationPerClass * Classes;
    [JsonIgnore] public int Test => TestPerClass * Classes;
    /// <summary>"8,000/2,000/3,000 (800/200/300 per class)".</summary>
    [JsonIgnore] public string Text => $"{Show.Count(Train)}/{Show.Count(Validation)}/{Show.Count(Test)} ({TrainPerClass}/{ValidationPerClass}/{TestPerClass} per class)";
}

/// <summary>
/// The training, validation and test parts of a run (float images N×3×96×96), the source they came from, and the
/// per-channel statistics they were standardised with (null when the pixels are left in [0, 1]).
/// </summary>
public sealed record Stl10Parts(ImageDataSet Train, ImageDataSet Validation, ImageDataSet Test, Stl10Source Source, float[]? Mean, float[]? Std)
{
    /// <summary>The rows of the pooled labelled images each part holds (training, validation, test).</summary>
    public required long[][] Rows { get; init; }
    /// <summary>How many labelled images were pooled (training file, then test file).</summary>
    public required int Pool { get; init; }

    public IEnumerable<(string Name, ImageDataSet Set)> All => new[] { ("train", Train), ("validation", Validation), ("test", Test) };

    /// <summary>Pixels as shown to a person: standardisation undone, clamped to [0, 1] and rounded to 0.01 (channel planes, row-major).</summary>
    public float[] Display(Tensor image)
    {
        using var scope = NewDisposeScope();
        var x = image.cpu();
        if (Mean is not null && Std is not null)
            x = x.mul(tensor(Std).view(3, 1, 1)).add(tensor(Mean).view(3, 1, 1));
        return x.clamp(0, 1).flatten().data<float>().Select(v => MathF.Round(v * 100) / 100).ToArray();
    }
}

public static class Ece4179Data
{
    public const string StandInValue = "data_is_standin";

    /// <summary>Whether a record was made from STL-10 itself: its settings name the release (anything else counts as the stand-in).</summary>
    public static bool FromStl10(RunRecord record) =>
        record.Settings.TryGetValue("data", out var data) && data.StartsWith(new Stl10Source("", Stl10Catalog.Stl10, false).Identity, StringComparison.Ordinal);

    /// <summary>
    /// The 13,000 labelled images pooled and split, per class, into the given numbers of training, validation and test
    /// images: each class's pool indices in a seeded random order, the first for training, the next for validation,
    /// the next for testing (so a smaller split is the start of a larger one). Rows are returned sorted.
    /// </summary>
    public static (long[] Train, long[] Validation, long[] Test) Split(long[] labels, SplitSizes sizes, int seed)
    {
        var train = new List<long>(); var val = new List<long>(); var test = new List<long>();
        for (int c = 0; c < sizes.Classes; c++)
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Select(i => (long)i).ToArray();
            int need = sizes.TrainPerClass + sizes.ValidationPerClass + sizes.TestPerClass;
            if (rows.Length < need)
                throw new HarnessException($"class {Stl10Catalog.ClassNames[c]} has {rows.Length:N0} labelled images; the split needs {need:N0}");
            new SeededRandom(seed, 0x57110, c).Shuffle(rows);
            train.AddRange(rows.Take(sizes.TrainPerClass));
            val.AddRange(rows.Skip(sizes.TrainPerClass).Take(sizes.ValidationPerClass));
            test.AddRange(rows.Skip(sizes.TrainPerClass + sizes.ValidationPerClass).Take(sizes.TestPerClass));
        }
        static long[] Sorted(List<long> l) { var a = l.ToArray(); Array.Sort(a); return a; }
        return (Sorted(train), Sorted(val), Sorted(test));
    }

    /// <summary>
    /// Loads STL-10 (or the stand-in, noted in the record), splits it by <see cref="Split"/> with the run's seed, and,
    /// when <paramref name="normalise"/>, standardises every part per channel with the mean and standard deviation
    /// (population) of the training part alone.
    /// </summary>
    public static Stl10Parts Load(RunContext ctx, SplitSizes sizes, bool normalise)
    {
        var data = ctx.Data.Stl10();
        if (data.Source.Note is { } note)
            ctx.NoteData($"{note}. Every number, table and figure of this task was made from generated images in STL-10's binary layout (generator v{Stl10StandIn.Version}), not from STL-10; at the full profile the accuracy bounds are not judged on them.");
        ctx.Value(StandInValue, data.Source.StandIn ? 1 : 0);
        var (trainRows, valRows, testRows) = Split(data.Labelled.LabelArray(), sizes, ctx.Seed);
        var train = data.Labelled.Subset(trainRows, "train");
        var val = data.Labelled.Subset(valRows, "validation");
        var test = data.Labelled.Subset(testRows, "test");
        long[][] rows = [trainRows, valRows, testRows];
        if (!normalise) return new Stl10Parts(train, val, test, data.Source, null, null) { Rows = rows, Pool = data.Labelled.Count };
        var (mean, std) = ChannelStatistics(train.Images);
        using (no_grad())
        using (var m = tensor(mean).view(1, 3, 1, 1))
        using (var s = tensor(std).view(1, 3, 1, 1))
            foreach (var part in new[] { train, val, test }) part.Images.sub_(m).div_(s);
        return new Stl10Parts(train, val, test, data.Source, mean, std) { Rows = rows, Pool = data.Labelled.Count };
    }

    /// <summary>Per-channel mean and population standard deviation of N×3×H×W images.</summary>
    public static (float[] Mean, float[] Std) ChannelStatistics(Tensor images)
    {
        using var scope = NewDisposeScope();
        var dims = new long[] { 0, 2, 3 };
        return (images.mean(dims).data<float>().ToArray(), images.std(dims, unbiased: false).data<float>().ToArray());
    }

    /// <summary>Records the sizes of the parts and a table of their class counts; checks the split against its settings.</summary>
    public static void RecordSplit(RunContext ctx, Stl10Parts d, SplitSizes sizes)
    {
        ctx.Value("train_images", d.Train.Count);
        ctx.Value("validation_images", d.Validation.Count);
        ctx.Value("test_images", d.Test.Count);
        var counts = d.All.Select(p => p.Set.ClassCounts()).ToArray();
        var names = d.Train.ClassNames;
        ctx.Table("split", $"The {Show.Count(d.All.Sum(p => p.Set.Count))} images of the split by class (seed {ctx.Seed}; drawn from the {Show.Count(d.Pool)} pooled labelled images).",
            new[] { "class", "train", "validation", "test" },
            names.Select((n, c) => (IReadOnlyList<string>)new[] { n }.Concat(counts.Select(k => Show.Count(k[c]))).ToList())
                .Append(new[] { "total" }.Concat(d.All.Select(p => Show.Count(p.Set.Count))).ToList()));
        var wanted = new[] { sizes.TrainPerClass, sizes.ValidationPerClass, sizes.TestPerClass };
        var found = new Findings();
        var parts = d.All.ToArray();
        for (int p = 0; p < parts.Length; p++)
            for (int c = 0; c < names.Count; c++)
            {
                int part = p, cls = c;
                found.Expect(counts[p][c] == wanted[p], () => $"{parts[part].Name} holds {counts[part][cls]} {names[cls]} images, not {wanted[part]}");
            }
        var all = d.Rows.SelectMany(r => r).ToArray();
        int pool = d.Pool;
        found.Expect(all.Distinct().Count() == all.Length, () => $"{all.Length - all.Distinct().Count()} rows of the pool are in two parts")
             .Expect(all.All(r => r >= 0 && r < pool), () => $"rows outside the {pool:N0} pooled images");
        ctx.Check("split_ok", found, $"{sizes.Text} images, every class exactly as many in each part, no row of the {pool:N0} pooled images in two parts");
    }
}
