using Harness.Tasks.Ece4179.Models;
using Harness.Tasks.Ex08.Augmentation;

namespace Harness.Tasks.Ece4179;

/// <summary>
/// Q2.2: the deep CNN of 2.1 trained again with per-channel standardisation (statistics of the training part only) and
/// augmentation (random horizontal flip, random crop with padding); the gain over 2.1 measured on the same data and split.
/// </summary>
public sealed class Q2_2Augmentation : Ece4179Task<Q2_2Augmentation.Settings_>
{
    public sealed record Settings_(string Data, SplitSizes Split, TrainSettings Training, AugmentSettings Augmentation);

    public override string Id => "2.2";
    public override string Title => "Augmentation and normalisation";
    public override string SeedText => "Improve the deep network's accuracy with data augmentation (at least random horizontal flips and random crops with padding) and normalise the images per channel, computing the statistics on the training data only. Report the gain over Q2.1.";
    public override IReadOnlyList<string> DependsOn => ["2.1"];

    public override Settings_ Settings(Profile profile, string data)
    {
        var deep = new Q2_1DeepCnn().Settings(profile, data);
        return new(data, deep.Split, deep.Training, new AugmentSettings(0.5, 8));
    }

    protected override double? Work(Settings_ s) => s.Training.Work(s.Split);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = Settings(Profile.Smoke);
        return
        [
            Requirement.Holds("ece4179.2.2.normalisation", "Each channel is standardised with the mean and standard deviation of the training part alone: recomputed from the raw training images they agree bit for bit, differ from the validation part's, and leave the training part with mean 0 and standard deviation 1 per channel.", 3, "normalised_from_train"),
            Requirement.Holds("ece4179.2.2.augmentation", $"The augmentation is {smoke.Augmentation.Text}: the flip is an exact mirror, the crop keeps 3×96×96 and shifts the content by its offset, the centred crop is the identity.", 3, "augmentation_ok"),
            Requirement.Holds("ece4179.2.2.seeded", "Augmentation is seeded: the same seed, epoch and batch give the same augmented batch, another batch other draws.", 1, "augmentation_seeded"),
            .. TrainingChecks(curves: 0, selection: 0, lossFalls: 1),
            Requirement.Holds("ece4179.2.2.compared", "The gain is measured against 2.1's record of the same data, split, seed and training schedule.", 2, "compared_with_2_1"),
            ProvisionalAccuracy("ece4179.2.2.accuracy", "Test accuracy of the deep CNN with augmentation and normalisation", 5, "best_test_accuracy", 0.68, Chance, smoke.Training.Scale(smoke.Split), DeepSmokeNote),
        ];
    }

    public const string Input = "standardised per channel with the training part's mean and standard deviation";

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = Ece4179Data.Load(ctx, s.Split, normalise: true);
        Ece4179Data.RecordSplit(ctx, data, s.Split);
        CheckNormalisation(ctx, data);
        CheckAugmentation(ctx, data, s.Augmentation);

        using var trained = Ece4179Training.TrainAndRecord(ctx, "Deep CNN, augmented", () => new DeepCnn(), s.Training, data, Input,
            s.Augmentation.Text, s.Augmentation.For(ctx.Seed).Apply);

        var deep = ctx.Dependency<Q2_1DeepCnn>();
        var theirs = deep.Task.Settings(ctx.Options);
        var same = new Findings()
            .Expect(theirs.Data == s.Data, () => $"2.1 read other data ({theirs.Data})")
            .Expect(theirs.Split == s.Split && theirs.Training == s.Training, () => $"2.1 trained on {theirs.Split.Text} with {theirs.Training}, this task on {s.Split.Text} with {s.Training}")
            .Expect(deep.Record.Key.Seed == ctx.Seed, () => $"2.1's record has seed {deep.Record.Key.Seed}");
        ctx.Check("compared_with_2_1", same, $"2.1's record: the same data, split ({s.Split.Text}), seed {ctx.Seed} and training ({s.Training.Epochs} epochs, {s.Training.Optimizer}, batch {s.Training.BatchSize})");
        double mine = trained.Result.Best.TestAccuracy, before = deep.Record.Value("best_test_accuracy");
        ctx.Value("deep_best_test_accuracy", before);
        ctx.Value("gain_over_2_1", mine - before);
        ctx.Observe($"With standardisation and augmentation the deep CNN reaches {Show.Percent(mine)} test accuracy against {Show.Percent(before)} in 2.1: a gain of {Show.Points(mine - before)} points.");
        double gap = trained.Result.Last.TrainAccuracy - trained.Result.Last.ValidationAccuracy!.Value;
        double gapBefore = deep.Record.Value("final_train_accuracy") - deep.Record.Series[Metric.ValidationAccuracy][^1];
        ctx.Observe($"The gap between final training and validation accuracy is {Show.Points(gap)} points with augmentation and {Show.Points(gapBefore)} without.");
    }

    /// <summary>The statistics recomputed from the raw training rows, compared with the validation part's, and the standardised training part's moments.</summary>
    private static void CheckNormalisation(RunContext ctx, Stl10Parts data)
    {
        var raw = ctx.Data.Stl10().Labelled;
        (float[] Mean, float[] Std) Raw(long[] rows)
        {
            var part = raw.Subset(rows);
            try { return Ece4179Data.ChannelStatistics(part.Images); }
            finally { part.Images.Dispose(); part.Labels.Dispose(); }
        }
        var train = Raw(data.Rows[0]);
        var validation = Raw(data.Rows[1]);
        var after = Ece4179Data.ChannelStatistics(data.Train.Images);
        string[] channels = { "red", "green", "blue" };
        var found = new Findings();
        for (int c = 0; c < 3; c++)
        {
            int ch = c;
            found.Expect(train.Mean[c] == data.Mean![c] && train.Std[c] == data.Std![c],
                    () => $"{channels[ch]}: used mean {data.Mean![ch]:R}, std {data.Std![ch]:R}; the training part's are {train.Mean[ch]:R}, {train.Std[ch]:R}")
                 .Expect(Math.Abs(after.Mean[c]) < 1e-4 && Math.Abs(after.Std[c] - 1) < 1e-4,
                    () => $"{channels[ch]}: the standardised training part has mean {after.Mean[ch]:0.000000} and std {after.Std[ch]:0.000000}");
            ctx.Value($"mean_{channels[c]}", data.Mean![c]);
            ctx.Value($"std_{channels[c]}", data.Std![c]);
        }
        found.Expect(Enumerable.Range(0, 3).Any(c => validation.Mean[c] != train.Mean[c] || validation.Std[c] != train.Std[c]),
            "the validation part has exactly the training part's statistics, so the check could not tell them apart");
        ctx.Check("normalised_from_train", found, "mean " + string.Join(", ", Enumerable.Range(0, 3).Select(c => $"{channels[c]} {data.Mean![c]:0.0000}")) +
            "; std " + string.Join(", ", Enumerable.Range(0, 3).Select(c => $"{channels[c]} {data.Std![c]:0.0000}")) +
            $": those of the {Show.Count(data.Train.Count)} raw training images, bit for bit (the validation part's differ: mean red {validation.Mean[0]:0.0000}); the standardised training part has mean 0 and std 1 per channel within 1e-4");
    }

    /// <summary>The flip and crop checked on real training images, a figure of them, and the seeding of whole batches.</summary>
    private static void CheckAugmentation(RunContext ctx, Stl10Parts data, AugmentSettings a)
    {
        using var scope = NewDisposeScope();
        const int n = 8;
        int p = a.CropPadding;
        var x = data.Train.Images.narrow(0, 0, n);
        long h = x.shape[2], w = x.shape[3];
        var all = Enumerable.Repeat(true, n).ToArray();
        var flipped = BatchAugmentation.HorizontalFlip(x, all);
        var mirrored = x.index_select(3, arange(w - 1, -1, -1, dtype: int64));
        int[] Offsets(int v) => Enumerable.Repeat(v, n).ToArray();
        var centred = BatchAugmentation.Crop(x, p, Offsets(p), Offsets(p), FlipCrop.Fill);
        var upLeft = BatchAugmentation.Crop(x, p, Offsets(0), Offsets(0), FlipCrop.Fill);     // content moves p px right and down
        var downRight = BatchAugmentation.Crop(x, p, Offsets(2 * p), Offsets(2 * p), FlipCrop.Fill); // content moves p px left and up
        var found = new Findings()
            .Expect(TensorDiff.Describe(flipped, mirrored) is null, () => $"the flip is not the columns reversed: {TensorDiff.Describe(flipped, mirrored)}")
            .Expect(TensorDiff.Same(BatchAugmentation.HorizontalFlip(flipped, all), x), "flipping twice does not give the original")
            .Expect(TensorDiff.Same(centred, x), () => $"the centred crop changes the images: {TensorDiff.Describe(centred, x)}")
            .Expect(upLeft.shape.SequenceEqual(x.shape), () => $"a crop has shape {string.Join("×", upLeft.shape.Skip(1))}")
            .Expect(TensorDiff.Same(upLeft.narrow(2, p, h - p).narrow(3, p, w - p), x.narrow(2, 0, h - p).narrow(3, 0, w - p)),
                () => $"the crop at offset (0, 0) is not the images moved {p} px right and down")
            .Expect(TensorDiff.Same(downRight.narrow(2, 0, h - p).narrow(3, 0, w - p), x.narrow(2, p, h - p).narrow(3, p, w - p)),
                () => $"the crop at offset ({2 * p}, {2 * p}) is not the images moved {p} px left and up")
            .Expect(upLeft.narrow(2, 0, p).eq(FlipCrop.Fill).all().item<bool>(), () => $"the {p} px border brought in by the crop is not {FlipCrop.Fill} (the training mean)");
        ctx.Check("augmentation_ok", found, $"on {n} training images: flip = columns reversed, flipping twice = identity; crops keep 3×{h}×{w}, shift the content by their offset, fill the border with the training mean; the centred crop is the identity");

        var batch1 = new Batch(null, n, Epoch: 1, Number: 0, Global: 0);
        var augment = a.For(ctx.Seed);
        var once = augment.Apply(x, batch1);
        var twice = a.For(ctx.Seed).Apply(x, batch1);
        var other = augment.Apply(x, batch1 with { Number = 1, Global = 1 });
        var seeded = new Findings()
            .Expect(TensorDiff.Same(once, twice), () => $"the same seed, epoch and batch give different batches: {TensorDiff.Describe(once, twice)}")
            .Expect(!TensorDiff.Same(once, other), "the next batch number gives the same draws")
            .Expect(!TensorDiff.Same(once, x), "the augmented batch equals the original: nothing was augmented");
        ctx.Check("augmentation_seeded", seeded, $"seed {ctx.Seed}, epoch 1, batch 1 augmented twice: identical; batch 2: other draws");

        var panels = new List<GridImage>();
        for (int i = 0; i < 2; i++)
        {
            var random = augment.Apply(x, new Batch(null, n, 1, 2 + i, 2 + i));
            panels.AddRange(new[]
            {
                new GridImage("original", data.Display(x[i])), new GridImage("flipped", data.Display(flipped[i])),
                new GridImage($"shifted +{p} px", data.Display(upLeft[i])), new GridImage($"shifted −{p} px", data.Display(downRight[i])),
                new GridImage("random", data.Display(random[i])), new GridImage("random", data.Display(once[i])),
            });
        }
        ctx.Figure("augmentation", $"Two training images: the original, its mirror image, crops at the extreme offsets (content shifted by {p} px, the border filled with the training mean colour), and two random augmentations (flip with p = {Show.Short(a.FlipProbability)}, crop offset uniform in ±{p} px).",
            new ImageGridSpec("Augmentation", Stl10Catalog.Side, Stl10Catalog.Side, Stl10Catalog.Channels, 6, panels));
    }
}
