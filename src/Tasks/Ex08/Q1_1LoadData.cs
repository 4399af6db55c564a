using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;
using static TorchSharp.torch;

namespace Harness.Tasks.Ex08;

/// <summary>Q1.1: load Fashion-MNIST through the data layer, batch it, and show sample images with their class names.</summary>
public sealed class Q1_1LoadData : TaskDefinition
{
    public sealed record Settings_(int BatchSize, int SamplesPerClass);

    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "1.1";
    public override string Title => "Loading Fashion-MNIST";
    public override string SeedText => "Load the Fashion-MNIST dataset, split it into batches and visualise a few samples together with their class names (e.g. \"coat\", \"sandal\").";
    public override object Settings(Profile profile) => new Settings_(BatchSize: 64, SamplesPerClass: 2);

    public override IReadOnlyList<Requirement> Requirements { get; } = new[]
    {
        Requirement.Exactly("ex08.1.1.train-count", "The training set holds 60,000 images (canonical file, checksum verified).", 0.5, "train_images", 60000),
        Requirement.Exactly("ex08.1.1.test-count", "The test set holds 10,000 images (canonical file, checksum verified).", 0.5, "test_images", 10000),
        Requirement.Exactly("ex08.1.1.classes", "Ten classes, 6,000 training images each.", 0.5, "min_class_count", 6000),
        Requirement.Holds("ex08.1.1.batches", "Batches are 64×1×28×28 float images in [0,1] with int64 labels, covering every image once per epoch.", 0.5, "batches_ok"),
        Requirement.Holds("ex08.1.1.figure", "A figure shows samples of every class labelled with its class name.", 1, "sample_figure_ok"),
    };

    public override void Run(RunContext ctx)
    {
        var s = (Settings_)Settings(ctx.Profile);
        var data = ctx.Data.FashionMnist();
        ctx.Value("train_images", data.Train.Count);
        ctx.Value("test_images", data.Test.Count);
        var counts = data.Train.ClassCounts();
        ctx.Value("min_class_count", counts.Min());
        ctx.Value("max_class_count", counts.Max());
        ctx.Table("classes", "Fashion-MNIST classes and their number of training and test images.", new[] { "label", "class", "train", "test" },
            Enumerable.Range(0, 10).Select(i => (IReadOnlyList<string>)new[] { i.ToString(), data.Train.ClassNames[i], counts[i].ToString("N0"), data.Test.ClassCounts()[i].ToString("N0") }));

        // One epoch of seeded batches: every image exactly once, right shapes and types.
        var seen = new bool[data.Train.Count];
        bool ok = true;
        int batches = 0;
        foreach (var idx in Batches.Shuffled(data.Train.Count, s.BatchSize, ctx.Seed, epoch: 1))
        {
            using var scope = NewDisposeScope();
            var x = data.Train.Images.index_select(0, tensor(idx));
            var y = data.Train.Labels.index_select(0, tensor(idx));
            bool last = batches == Batches.CountOf(data.Train.Count, s.BatchSize) - 1;
            ok &= x.dtype == ScalarType.Float32 && y.dtype == ScalarType.Int64 && x.shape[1] == 1 && x.shape[2] == 28 && x.shape[3] == 28
                  && (last || x.shape[0] == s.BatchSize);
            if (batches == 0) ok &= x.min().item<float>() >= 0 && x.max().item<float>() <= 1;
            foreach (var i in idx) { ok &= !seen[i]; seen[i] = true; }
            batches++;
        }
        ok &= seen.All(v => v);
        ctx.Value("batches", batches);
        ctx.Value("batches_ok", ok ? 1 : 0);
        ctx.Observe($"One epoch at batch size {s.BatchSize} has {batches} batches ({data.Train.Count / s.BatchSize} full ones and one of {data.Train.Count % s.BatchSize}); every image appears exactly once.");

        // The first training images of each class, in label order, with their names.
        var labels = data.Train.LabelArray();
        var images = new List<GridImage>();
        for (int c = 0; c < 10; c++)
            foreach (var i in Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Take(s.SamplesPerClass))
                images.Add(new GridImage(data.Train.ClassNames[c], data.Train.Images[i].flatten().data<float>().ToArray()));
        ctx.Figure("samples", "Fashion-MNIST training samples, two per class, labelled with their class names.",
            new ImageGridSpec("Fashion-MNIST samples", 28, 28, 1, 10, images));
        var names = images.Select(g => g.Label).Distinct().Count();
        ctx.Value("sample_figure_ok", names == 10 && images.Count == 10 * s.SamplesPerClass ? 1 : 0);
    }
}
