using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Tasks.Common;
using Harness.Tasks.Ex08.Augmentation;
using Harness.Tasks.Ex08.Models;
using static TorchSharp.torch;

namespace Harness.Tasks.Ex08;

/// <summary>Q1.3: random flips, random crops (padding + shift) and random erasing on batches; the baseline retrained with them.</summary>
public sealed class Q1_3Augmentation : TaskDefinition
{
    public sealed record Settings_(Ex08TrainSettings Training, double FlipProbability, int CropPadding, double EraseProbability, int EraseSize);

    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "1.3";
    public override string Title => "Data augmentation";
    public override string SeedText => "Utilize several data-augmentation techniques (e.g. random horizontal flip, random cropping …). Visualize the effect of each transformation on a sample from the dataset. Train the model again from scratch and report the accuracy of the best epoch.";
    public override IReadOnlyList<string> DependsOn => new[] { "1.2" };
    public override object Settings(Profile profile) =>
        new Settings_(Ex08TrainSettings.For(profile), FlipProbability: 0.5, CropPadding: 1, EraseProbability: 0.2, EraseSize: 8);

    public override IReadOnlyList<Requirement> Requirements { get; } = new[]
    {
        Requirement.Holds("ex08.1.3.same-sample", "Every transformation is shown on the same sample (each panel agrees with the original on the pixels the transformation keeps).", 1, "same_sample"),
        Requirement.Holds("ex08.1.3.flip-mirror", "The horizontal flip is an exact mirror (column j becomes column 27 − j bit for bit; flipping twice gives the original).", 0.5, "flip_exact"),
        Requirement.Holds("ex08.1.3.crop-shape", "Random crops keep the 1×28×28 shape, are translations of the image, and the centred crop is the identity.", 0.5, "crop_ok"),
        Requirement.Holds("ex08.1.3.seeded", "Augmentation is seeded: the same seed, epoch and batch give the same augmented batch.", 0.5, "augmentation_deterministic"),
        Requirement.AtLeast("ex08.1.3.accuracy", "Best-epoch test accuracy with augmentation is at least 91.0% (full profile; smoke: ≥ 74% on 3,000 images and 2 epochs).",
            2, "best_test_accuracy", full: 0.91, smoke: 0.74),
    };

    public override void Run(RunContext ctx)
    {
        var s = (Settings_)Settings(ctx.Profile);
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        DataPreparation.RecordSizes(ctx, data);
        float background = -data.Mean / data.Std;
        var augmentation = new BatchAugmentation(ctx.Seed, background, s.FlipProbability, s.CropPadding, s.EraseProbability, s.EraseSize);

        ShowTransformations(ctx, data, s, background);
        using (var batch = data.Train.Images.narrow(0, 0, 64))
        {
            using var a = new BatchAugmentation(ctx.Seed, background, s.FlipProbability, s.CropPadding, s.EraseProbability, s.EraseSize).Apply(batch, 1);
            using var b = new BatchAugmentation(ctx.Seed, background, s.FlipProbability, s.CropPadding, s.EraseProbability, s.EraseSize).Apply(batch, 1);
            ctx.Value("augmentation_deterministic", Same(a, b) && !Same(a, batch) ? 1 : 0);
        }

        manual_seed(ctx.Seed);
        using var model = new MnistExampleCnn();
        var result = ctx.Timed("training", () => Ex08Training.Train(ctx, model, data, s.Training, "Q1.3 augmentation", augmentation.Apply));
        TrainingRecorder.Record(ctx, result, label: "CNN with augmentation");
        model.save(ctx.Artifact("best_weights", "best.weights"));

        var baseline = ctx.Dependency("1.2").Record;
        double b0 = baseline.Value("best_test_accuracy"), a0 = result.Best.TestAccuracy;
        ctx.Value("baseline_best_test_accuracy", b0);
        ctx.Value("train_test_gap", result.Last.TrainAccuracy - result.Last.TestAccuracy);
        ctx.Value("baseline_train_test_gap", baseline.Value("final_train_accuracy") - baseline.Value("final_test_accuracy"));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"With augmentation the best-epoch test accuracy is {a0:P2} against {b0:P2} without ({(a0 - b0) * 100:+0.00;-0.00} points)."));
        double gap = result.Last.TrainAccuracy - result.Last.TestAccuracy;
        double baselineGap = baseline.Value("final_train_accuracy") - baseline.Value("final_test_accuracy");
        var verdict = gap < baselineGap ? "less." : "no less here (too few epochs for over-fitting to show).";
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The gap between final training and test accuracy is {gap * 100:0.00} points with augmentation and {baselineGap * 100:0.00} points without: augmented images are harder to fit, so the network over-fits {verdict}"));
    }

    /// <summary>Same shape and every element equal.</summary>
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>Each transformation applied alone (probability 1) to the same training image, plus checks that each panel is that image.</summary>
    private static void ShowTransformations(RunContext ctx, PreparedData data, Settings_ s, float background)
    {
        const int sample = 0;
        using var scope = NewDisposeScope();
        var x = data.Train.Images.narrow(0, sample, 1);
        int p = s.CropPadding;
        var flipped = BatchAugmentation.HorizontalFlip(x, new[] { true });
        var cropUpLeft = BatchAugmentation.Crop(x, p, new[] { 0 }, new[] { 0 }, background);
        var cropDownRight = BatchAugmentation.Crop(x, p, new[] { 2 * p }, new[] { 2 * p }, background);
        var cropCentre = BatchAugmentation.Crop(x, p, new[] { p }, new[] { p }, background);
        var erased = BatchAugmentation.Erase(x, new[] { true }, new[] { 10 }, new[] { 10 }, s.EraseSize, background);
        var combined = new BatchAugmentation(ctx.Seed + 1, background, 1.0, p, 1.0, s.EraseSize).Apply(x, 1);

        // Exact mirror: column j of the flip is column 27 − j of the original, and flipping twice restores it.
        var mirrored = x.index_select(3, arange(27, -1, -1, dtype: int64));
        bool flipExact = Same(flipped, mirrored) && Same(BatchAugmentation.HorizontalFlip(flipped, new[] { true }), x);
        ctx.Value("flip_exact", flipExact ? 1 : 0);

        // Crops keep the shape, shifting by (p, p) moves the interior, the centred crop changes nothing.
        using var batch = data.Train.Images.narrow(0, 0, 16);
        var rng = new Harness.Core.Data.SeededRandom(ctx.Seed, 0xc0);
        var cropped = BatchAugmentation.Crop(batch, p, Enumerable.Range(0, 16).Select(_ => rng.NextInt(2 * p + 1)).ToArray(),
            Enumerable.Range(0, 16).Select(_ => rng.NextInt(2 * p + 1)).ToArray(), background);
        bool shapeKept = cropped.shape.SequenceEqual(batch.shape);
        bool isTranslation = Same(cropDownRight.narrow(2, 0, 28 - p).narrow(3, 0, 28 - p), x.narrow(2, p, 28 - p).narrow(3, p, 28 - p));
        bool identity = Same(cropCentre, x);
        ctx.Value("crop_ok", shapeKept && isTranslation && identity ? 1 : 0);

        // Same sample in every panel: each agrees with the original wherever its transformation keeps the pixels.
        bool upLeftOk = Same(cropUpLeft.narrow(2, p, 28 - p).narrow(3, p, 28 - p), x.narrow(2, 0, 28 - p).narrow(3, 0, 28 - p));
        var outside = BatchAugmentation.Erase(zeros_like(x), new[] { true }, new[] { 10 }, new[] { 10 }, s.EraseSize, 1f).eq(0);
        bool erasedOk = Same(erased.masked_select(outside), x.masked_select(outside)) && !Same(erased, x);
        var panels = new (string Label, Tensor Image)[]
        {
            ("original", x), ("horizontal flip", flipped), ($"crop: content {p} px right+down", cropUpLeft), ($"crop: content {p} px left+up", cropDownRight),
            ($"random erasing {s.EraseSize}×{s.EraseSize}", erased), ("all combined (random)", combined),
        };
        ctx.Value("same_sample", flipExact && isTranslation && upLeftOk && erasedOk && panels.Length == 6 ? 1 : 0);
        ctx.Value("transformations_shown", panels.Length - 1);
        var images = panels.Select(pn => new GridImage(pn.Label,
            pn.Image.mul(data.Std).add(data.Mean).clamp(0, 1).flatten().data<float>().ToArray())).ToList();
        ctx.Figure("transformations", $"Each augmentation applied to the same training image ({data.Train.ClassNames[(int)data.Train.Labels[sample].item<long>()]}); padding and erased pixels take the background value.",
            new ImageGridSpec("Augmentations of one sample", 28, 28, 1, 6, images));
        ctx.Table("augmentations", "The augmentations used in training, applied to every batch with fresh seeded random parameters.",
            new[] { "transformation", "parameters" }, new[]
            {
                new[] { "random horizontal flip", $"probability {s.FlipProbability.ToString(CultureInfo.InvariantCulture)}" },
                new[] { "random crop", $"pad {p} px with background, crop 28×28 at a random offset (shift up to ±{p} px)" },
                (IReadOnlyList<string>)new[] { "random erasing", $"probability {s.EraseProbability.ToString(CultureInfo.InvariantCulture)}, {s.EraseSize}×{s.EraseSize} px square set to background" },
            });
    }
}
