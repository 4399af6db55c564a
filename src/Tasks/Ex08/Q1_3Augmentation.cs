using Harness.Tasks.Ex08.Augmentation;
using Harness.Tasks.Ex08.Models;

namespace Harness.Tasks.Ex08;

/// <summary>Q1.3: random flips, random crops (padding + shift) and random erasing on batches; the baseline retrained with them.</summary>
public sealed class Q1_3Augmentation : TaskDefinition<Q1_3Augmentation.Settings_>
{
    public sealed record Settings_(Ex08TrainSettings Training, double FlipProbability, int CropPadding, double EraseProbability, int EraseSize);

    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "1.3";
    public override string Title => "Data augmentation";
    public override string SeedText => "Utilize several data-augmentation techniques (e.g. random horizontal flip, random cropping …). Visualize the effect of each transformation on a sample from the dataset. Train the model again from scratch and report the accuracy of the best epoch.";
    public override IReadOnlyList<string> DependsOn => new[] { "1.2" };
    /// <summary>2: the train − test gap observation explains a negative gap.</summary>
    public override int Revision => 2;
    public override Settings_ Settings(Profile profile) =>
        new(Ex08TrainSettings.For(profile), FlipProbability: 0.5, CropPadding: 1, EraseProbability: 0.2, EraseSize: 8);

    protected override double? Work(Settings_ s) => s.Training.Work;

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var shape = DataSetCatalog.FashionMnist.TrainImages.Shape;
        int h = shape[1], w = shape[2];
        return
        [
            Requirement.Holds("ex08.1.3.same-sample", "Every transformation is shown on the same sample (each panel agrees with the original on the pixels the transformation keeps).", 1, "same_sample"),
            Requirement.Holds("ex08.1.3.flip-mirror", $"The horizontal flip is an exact mirror (column j becomes column {w - 1} − j bit for bit; flipping twice gives the original).", 0.5, "flip_exact"),
            Requirement.Holds("ex08.1.3.crop-shape", $"Random crops keep the 1×{h}×{w} shape, are translations of the image, and the centred crop is the identity.", 0.5, "crop_ok"),
            Requirement.Holds("ex08.1.3.seeded", "Augmentation is seeded: the same seed, epoch and batch give the same augmented batch.", 0.5, "augmentation_deterministic"),
            Requirement.AtLeast("ex08.1.3.accuracy", "Best-epoch test accuracy with augmentation", 2, "best_test_accuracy",
                new Threshold(0.91, 0.74, Settings(Profile.Smoke).Training.Scale), ValueFormat.Percent),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        DataPreparation.RecordSizes(ctx, data);
        float background = -data.Mean / data.Std;
        BatchAugmentation Augmentation(int seed) => new(seed, background, s.FlipProbability, s.CropPadding, s.EraseProbability, s.EraseSize);
        var first = new Batch(null, 0, Epoch: 1, Number: 0, Global: 0);

        ShowTransformations(ctx, data, s, background);
        using (var batch = data.Train.Images.narrow(0, 0, s.Training.BatchSize))
        {
            using var a = Augmentation(ctx.Seed).Apply(batch, first);
            using var b = Augmentation(ctx.Seed).Apply(batch, first);
            var found = new Findings()
                .Expect(TensorDiff.Describe(a, b) is null, () => $"two augmentations of the same batch differ: {TensorDiff.Describe(a, b)}")
                .Expect(!TensorDiff.Same(a, batch), "the augmented batch equals the original: nothing was augmented");
            ctx.Check("augmentation_deterministic", found, $"seed {ctx.Seed}, epoch 1, batch 1 augmented twice: identical, and different from the original");
        }

        manual_seed(ctx.Seed);
        using var model = new MnistExampleCnn();
        var result = ctx.Timed("training", () => ctx.TrainClassifier("Q1.3 augmentation", model, s.Training.Recipe, data, Augmentation(ctx.Seed).Apply));
        TrainingRecorder.Record(ctx, result, label: "CNN with augmentation");
        model.save(ctx.Artifact("best_weights", "best.weights"));

        var baseline = ctx.Dependency<Q1_2Baseline>().Record;
        double b0 = baseline.Value("best_test_accuracy"), a0 = result.Best.TestAccuracy;
        ctx.Value("baseline_best_test_accuracy", b0);
        ctx.Value("train_test_gap", result.Last.TrainAccuracy - result.Last.TestAccuracy);
        ctx.Value("baseline_train_test_gap", baseline.Value("final_train_accuracy") - baseline.Value("final_test_accuracy"));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"With augmentation the best-epoch test accuracy is {a0:P2} against {b0:P2} without ({(a0 - b0) * 100:+0.00;-0.00} points)."));
        double gap = result.Last.TrainAccuracy - result.Last.TestAccuracy;
        double baselineGap = baseline.Value("final_train_accuracy") - baseline.Value("final_test_accuracy");
        ctx.Observe(GapObservation(gap, baselineGap));
    }

    /// <summary>
    /// The train − test accuracy gap of the last epoch with and without augmentation. Its sign is spelled out: a negative
    /// gap (training accuracy below test accuracy) comes from measuring training accuracy on the batches as trained —
    /// augmented, with dropout active — and test accuracy on clean images in evaluation mode.
    /// </summary>
    public static string GapObservation(double gap, double baselineGap)
    {
        var text = $"At the last epoch training accuracy minus test accuracy is {Show.Points(gap)} points with augmentation and {Show.Points(baselineGap)} points without.";
        if (gap < 0 || baselineGap < 0)
            text += $" A negative gap means training accuracy is below test accuracy{(gap < 0 && baselineGap < 0 ? "" : gap < 0 ? " (here with augmentation)" : " (here without augmentation)")}: " +
                    "it is measured on the training batches as they are trained on, augmented and with dropout active, while test accuracy is measured " +
                    "on clean images with dropout off.";
        text += gap < baselineGap
            ? " Augmented images are harder to fit, so the network over-fits less."
            : " Augmentation does not narrow the gap here (too few epochs for over-fitting to show).";
        return text;
    }

    /// <summary>Each transformation applied alone (probability 1) to the same training image, plus checks that each panel is that image.</summary>
    private static void ShowTransformations(RunContext ctx, PreparedData data, Settings_ s, float background)
    {
        const int sample = 0;
        using var scope = NewDisposeScope();
        var x = data.Train.Images.narrow(0, sample, 1);
        int p = s.CropPadding;
        long h = x.shape[2], w = x.shape[3];
        var flipped = BatchAugmentation.HorizontalFlip(x, new[] { true });
        var cropUpLeft = BatchAugmentation.Crop(x, p, new[] { 0 }, new[] { 0 }, background);
        var cropDownRight = BatchAugmentation.Crop(x, p, new[] { 2 * p }, new[] { 2 * p }, background);
        var cropCentre = BatchAugmentation.Crop(x, p, new[] { p }, new[] { p }, background);
        int eraseAt = (int)(h - s.EraseSize) / 2;
        var erased = BatchAugmentation.Erase(x, new[] { true }, new[] { eraseAt }, new[] { eraseAt }, s.EraseSize, background);
        var combined = new BatchAugmentation(ctx.Seed + 1, background, 1.0, p, 1.0, s.EraseSize).Apply(x, new Batch(null, 1, 1, 0, 0));

        // Exact mirror: column j of the flip is column w − 1 − j of the original, and flipping twice restores it.
        var mirrored = x.index_select(3, arange(w - 1, -1, -1, dtype: int64));
        var flip = new Findings()
            .Expect(TensorDiff.Describe(flipped, mirrored) is null, () => $"the flip is not the reversed columns: {TensorDiff.Describe(flipped, mirrored)}")
            .Expect(TensorDiff.Same(BatchAugmentation.HorizontalFlip(flipped, new[] { true }), x), "flipping twice does not give the original");
        ctx.Check("flip_exact", flip, $"training image {sample}: the flip equals the reversed columns element for element, and flipping twice restores it");

        // Crops keep the shape, shifting by (p, p) moves the interior, the centred crop changes nothing.
        using var batch = data.Train.Images.narrow(0, 0, 16);
        var rng = new SeededRandom(ctx.Seed, 0xc0);
        var cropped = BatchAugmentation.Crop(batch, p, Enumerable.Range(0, 16).Select(_ => rng.NextInt(2 * p + 1)).ToArray(),
            Enumerable.Range(0, 16).Select(_ => rng.NextInt(2 * p + 1)).ToArray(), background);
        var shifted = cropDownRight.narrow(2, 0, h - p).narrow(3, 0, w - p);
        var interior = x.narrow(2, p, h - p).narrow(3, p, w - p);
        var crop = new Findings()
            .Expect(cropped.shape.SequenceEqual(batch.shape), () => $"16 random crops have shape {string.Join("×", cropped.shape)}, not {string.Join("×", batch.shape)}")
            .Expect(TensorDiff.Same(shifted, interior), () => $"the crop at offset ({2 * p}, {2 * p}) is not the image moved by {p} px: {TensorDiff.Describe(shifted, interior)}")
            .Expect(TensorDiff.Same(cropCentre, x), () => $"the centred crop changes the image: {TensorDiff.Describe(cropCentre, x)}");
        ctx.Check("crop_ok", crop, $"16 random crops keep the shape {string.Join("×", batch.shape)}; the crop at offset ({2 * p}, {2 * p}) is the image moved by {p} px; the centred crop is the identity");

        // Same sample in every panel: each agrees with the original wherever its transformation keeps the pixels.
        var upLeft = cropUpLeft.narrow(2, p, h - p).narrow(3, p, w - p);
        var corner = x.narrow(2, 0, h - p).narrow(3, 0, w - p);
        var outside = BatchAugmentation.Erase(zeros_like(x), new[] { true }, new[] { eraseAt }, new[] { eraseAt }, s.EraseSize, 1f).eq(0);
        var panels = new (string Label, Tensor Image)[]
        {
            ("original", x), ("horizontal flip", flipped), ($"crop: content {p} px right+down", cropUpLeft), ($"crop: content {p} px left+up", cropDownRight),
            ($"random erasing {s.EraseSize}×{s.EraseSize}", erased), ("all combined (random)", combined),
        };
        var same = new Findings()
            .Expect(flip.Holds, "the flip panel is not the mirrored sample")
            .Expect(TensorDiff.Same(shifted, interior), "the left+up crop panel is not the shifted sample")
            .Expect(TensorDiff.Same(upLeft, corner), () => $"the right+down crop panel is not the shifted sample: {TensorDiff.Describe(upLeft, corner)}")
            .Expect(TensorDiff.Same(erased.masked_select(outside), x.masked_select(outside)), "the erased panel changes pixels outside the erased square")
            .Expect(!TensorDiff.Same(erased, x), "the erased panel erases nothing");
        ctx.Check("same_sample", same, $"all {panels.Length} panels show training image {sample}: each agrees with it on every pixel its transformation keeps");
        ctx.Value("transformations_shown", panels.Length - 1);
        var images = panels.Select(pn => new GridImage(pn.Label,
            pn.Image.mul(data.Std).add(data.Mean).clamp(0, 1).flatten().data<float>().ToArray())).ToList();
        ctx.Figure("transformations", $"Each augmentation applied to the same training image ({data.Train.ClassNames[(int)data.Train.Labels[sample].item<long>()]}); padding and erased pixels take the background value.",
            new ImageGridSpec("Augmentations of one sample", (int)w, (int)h, 1, panels.Length, images));
        ctx.Table("augmentations", "The augmentations used in training, applied to every batch with fresh seeded random parameters.",
            new[] { "transformation", "parameters" }, new[]
            {
                new[] { "random horizontal flip", $"probability {s.FlipProbability.ToString(CultureInfo.InvariantCulture)}" },
                new[] { "random crop", $"pad {p} px with background, crop {h}×{w} at a random offset (shift up to ±{p} px)" },
                (IReadOnlyList<string>)new[] { "random erasing", $"probability {s.EraseProbability.ToString(CultureInfo.InvariantCulture)}, {s.EraseSize}×{s.EraseSize} px square set to background" },
            });
    }
}
