namespace Harness.Tasks.Ex08;

/// <summary>Q1.1: load Fashion-MNIST through the data layer, batch it, and show sample images with their class names.</summary>
public sealed class Q1_1LoadData : TaskDefinition<Q1_1LoadData.Settings_>
{
    public sealed record Settings_(int BatchSize, int SamplesPerClass);

    private static readonly DataSetInfo Set = DataSetCatalog.FashionMnist;
    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "1.1";
    public override string Title => "Loading Fashion-MNIST";
    public override string SeedText => "Load the Fashion-MNIST dataset, split it into batches and visualise a few samples together with their class names (e.g. \"coat\", \"sandal\").";
    public override Settings_ Settings(Profile profile) => new(BatchSize: 64, SamplesPerClass: 2);

    protected override double? Work(Settings_ s) => WorkVolume.Evaluation(DataSetCatalog.FashionMnist.TrainImages.Shape[0]);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var s = Settings(Profile.Full);
        var (train, test, classes) = (Set.TrainImages.Shape[0], Set.TestImages.Shape[0], Set.ClassNames.Length);
        var (h, w) = (Set.TrainImages.Shape[1], Set.TrainImages.Shape[2]);
        return
        [
            Requirement.Exactly("ex08.1.1.train-count", "The number of training images (canonical file, checksum verified)", 0.5, "train_images", train),
            Requirement.Exactly("ex08.1.1.test-count", "The number of test images (canonical file, checksum verified)", 0.5, "test_images", test),
            Requirement.Exactly("ex08.1.1.classes", $"The number of training images in the smallest of the {classes} classes", 0.5, "min_class_count", train / classes),
            Requirement.Holds("ex08.1.1.batches", $"Batches are {s.BatchSize}×1×{h}×{w} float images in [0,1] with int64 labels, covering every image once per epoch.", 0.5, "batches_ok"),
            Requirement.Holds("ex08.1.1.figure", $"A figure shows {s.SamplesPerClass} samples of every class, each labelled with its class name.", 1, "sample_figure_ok"),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = ctx.Data.FashionMnist();
        ctx.Value("train_images", data.Train.Count);
        ctx.Value("test_images", data.Test.Count);
        var counts = data.Train.ClassCounts();
        var testCounts = data.Test.ClassCounts();
        ctx.Value("min_class_count", counts.Min());
        ctx.Value("max_class_count", counts.Max());
        ctx.Table("classes", "Fashion-MNIST classes and their number of training and test images.", new[] { "label", "class", "train", "test" },
            Enumerable.Range(0, data.Train.NumClasses).Select(i => (IReadOnlyList<string>)new[] { i.ToString(), data.Train.ClassNames[i], Show.Count(counts[i]), Show.Count(testCounts[i]) }));

        // One epoch of seeded batches: every image exactly once, right shapes and types.
        int n = data.Train.Count, total = Batches.CountOf(n, s.BatchSize);
        long h = data.Train.ImageShape[1], w = data.Train.ImageShape[2];
        var seen = new bool[n];
        var found = new Findings();
        int batches = 0;
        foreach (var idx in Batches.Shuffled(n, s.BatchSize, ctx.Seed, epoch: 1))
        {
            using var scope = NewDisposeScope();
            var x = data.Train.Gather(tensor(idx));
            var y = data.Train.Labels.index_select(0, tensor(idx));
            int b = batches + 1;
            bool last = batches == total - 1;
            found.Expect(x.dtype == ScalarType.Float32 && y.dtype == ScalarType.Int64, () => $"batch {b} holds {x.dtype} images and {y.dtype} labels")
                 .Expect(x.shape[1] == 1 && x.shape[2] == h && x.shape[3] == w, () => $"batch {b} has shape {string.Join("×", x.shape)}")
                 .Expect(last || x.shape[0] == s.BatchSize, () => $"batch {b} of {total} holds {x.shape[0]} images, not {s.BatchSize}");
            if (batches == 0)
            {
                float min = x.min().item<float>(), max = x.max().item<float>();
                found.Expect(min >= 0 && max <= 1, () => $"batch 1 has pixel values in [{min}, {max}], outside [0,1]");
            }
            foreach (var i in idx) { found.Expect(!seen[i], () => $"image {i} appears twice (again in batch {b})"); seen[i] = true; }
            batches++;
        }
        int missing = seen.Count(v => !v);
        found.Expect(missing == 0, () => $"{missing} images appear in no batch");
        ctx.Value("batches", batches);
        ctx.Check("batches_ok", found, $"{batches} batches of {s.BatchSize} (the last {n - (batches - 1) * s.BatchSize}) checked: float32 images 1×{h}×{w} in [0,1], int64 labels, all {Show.Count(n)} images exactly once");
        ctx.Observe($"One epoch at batch size {s.BatchSize} has {batches} batches ({n / s.BatchSize} full ones and one of {n % s.BatchSize}); every image appears exactly once.");

        // The first training images of each class, in label order, with their names.
        var labels = data.Train.LabelArray();
        var images = new List<GridImage>();
        for (int c = 0; c < data.Train.NumClasses; c++)
            foreach (var i in Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Take(s.SamplesPerClass))
                images.Add(new GridImage(data.Train.ClassNames[c], data.Train.Gather(tensor(new long[] { i })).flatten().data<float>().ToArray()));
        ctx.Figure("samples", $"Fashion-MNIST training samples, {Show.Word(s.SamplesPerClass)} per class, labelled with their class names.",
            new ImageGridSpec("Fashion-MNIST samples", (int)w, (int)h, 1, data.Train.NumClasses, images));
        var names = images.Select(g => g.Label).Distinct().Count();
        ctx.Check("sample_figure_ok", names == data.Train.NumClasses && images.Count == data.Train.NumClasses * s.SamplesPerClass,
            $"{images.Count} samples shown under {names} distinct class names (expected {data.Train.NumClasses * s.SamplesPerClass} under {data.Train.NumClasses})");
    }
}
