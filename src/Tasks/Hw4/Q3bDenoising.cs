using Harness.Tasks.Hw4.Models;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 3(b): a denoising autoencoder (same architecture and settings as 3(a)) trained on corrupted inputs — Gaussian
/// noise, salt and pepper, zeroed pixels, one corruption per batch in turn — against the clean images; compared
/// with 3(a)'s plain autoencoder on corrupted test images.
/// </summary>
public sealed class Q3bDenoising : TaskDefinition<Q3bDenoising.Settings_>
{
    public sealed record Settings_(Q3aAutoencoder.Settings_ Base, Corruptions.Settings Corruption, int CheckImages);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "3b";
    public override string Title => "A denoising autoencoder";
    public override string SeedText => "Corrupt your input images by adding strong noise (Gaussian, Salt and Pepper, completely set pixels to zero) but keep the output unchanged. Train the denoising autoencoder and compare the feature maps of the first layer with those of 3(a).";
    public override IReadOnlyList<string> DependsOn { get; } = new[] { "3a" };

    public override Settings_ Settings(Profile profile) =>
        new Settings_(new Q3aAutoencoder().Settings(profile), new Corruptions.Settings(GaussianSigma: 0.5, SaltPepperFraction: 0.3, ZeroFraction: 0.5), CheckImages: 200);

    private static readonly int Pixels = DataSetCatalog.FashionMnist.TrainImages.Shape[1] * DataSetCatalog.FashionMnist.TrainImages.Shape[2];
    /// <summary>Tolerances of the corruption checks on grey images: the Gaussian's mean, its std relative to the clipped normal's, the salt share.</summary>
    private const double MeanTolerance = 0.01, StdTolerance = 0.1, SaltShareTolerance = 0.05;
    /// <summary>Corrupted test images are drawn and evaluated in batches of this many (one noise stream per batch).</summary>
    private const int CorruptedTestBatch = 500;

    protected override double? Work(Settings_ s) => s.Base.Autoencoder.Work(s.Base.TrainImages, s.Base.TestImages);

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("hw4.3b.gaussian", $"Gaussian corruption: noise of the set σ is added to every pixel and the result clipped to [0,1] (checked on grey images: mean 0.5 ± {MeanTolerance.ToString(CultureInfo.InvariantCulture)}, std within {Show.PercentBound(StdTolerance)} of the clipped normal's).", 0.5, "gaussian_ok"),
        Requirement.Holds("hw4.3b.salt-pepper", $"Salt and pepper sets exactly round(f·{Pixels}) drawn pixels of every image to 0 or 1 (about half each) and leaves the others bit for bit unchanged.", 0.5, "salt_pepper_ok"),
        Requirement.Holds("hw4.3b.zero", $"Zeroing sets exactly round(f·{Pixels}) drawn pixels of every image to 0 and leaves the others unchanged.", 0.5, "zero_ok"),
        Requirement.Holds("hw4.3b.seeded", "The corruptions are seeded: the same seed and batch draw the same noise, another batch draws different noise.", 0.5, "seeded_ok"),
        Requirement.Holds("hw4.3b.better", $"On corrupted test images, the denoising model's MSE to the clean image is lower than the plain autoencoder's for all {Show.Word(Corruptions.Names.Length)} corruptions.", 2, "denoising_better_all"),
        Requirement.Holds("hw4.3b.feature-maps", "The first-layer feature maps of both models are shown side by side.", 1, "figures_ok"),
    ];

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var (_, a, folder) = ctx.Dependency<Q3aAutoencoder>();
        var data = UnitRangeData.Prepare(ctx.Data.FashionMnist(), new(s.Base.TrainImages, s.Base.ValidationImages, s.Base.TestImages), ctx.Seed);
        CheckCorruptions(ctx, s);

        using var plain = new ConvAutoencoder(s.Base.CodeSize);
        plain.load(Path.Combine(folder, a.Artifacts[Q3aAutoencoder.WeightsArtifact]));
        plain.to(ctx.Device);
        manual_seed(ctx.Seed);
        using var denoising = new ConvAutoencoder(s.Base.CodeSize);
        // Training batches cycle through the three corruptions; the noise stream is the batch number.
        Tensor Corrupt(Tensor clean, long batch) => Corruptions.Apply(Corruptions.Names[batch % 3], clean, s.Corruption, ctx.Seed, batch);
        var r = ctx.Timed("training", () => ctx.Train("3b denoising", denoising, s.Base.Autoencoder.Recipe, new ReconstructionObjective(denoising, data.Train, data.Test, ctx.Device, Corrupt)));
        Q3aAutoencoder.Record(ctx, r, "", "Denoising autoencoder");

        var rows = new List<IReadOnlyList<string>>();
        var notBetter = new List<string>();
        int better = 0;
        foreach (var kind in Corruptions.Names)
        {
            // Test noise uses streams far from the training ones, so the test images are corrupted afresh.
            Tensor TestCorrupt(Tensor clean, long batch) => Corruptions.Apply(kind, clean, s.Corruption, ctx.Seed, 1_000_000 + batch);
            // Batches of CorruptedTestBatch: the test noise is drawn per batch, so the batch size is part of the experiment.
            double p = Evaluation.ReconstructionError(plain, data.Test, ctx.Device, TestCorrupt, CorruptedTestBatch),
                d = Evaluation.ReconstructionError(denoising, data.Test, ctx.Device, TestCorrupt, CorruptedTestBatch);
            ctx.Value($"plain_mse_{kind}", p);
            ctx.Value($"denoising_mse_{kind}", d);
            if (d < p) better++; else notBetter.Add($"{kind} ({F(d)} against {F(p)})");
            rows.Add(new[] { kind.Replace('_', ' '), F(p), F(d), (100 * (1 - d / p)).ToString("0.0", CultureInfo.InvariantCulture) + "%" });
        }
        double pc = Evaluation.ReconstructionError(plain, data.Test, ctx.Device), dc = Evaluation.ReconstructionError(denoising, data.Test, ctx.Device);
        ctx.Value("plain_mse_clean", pc);
        ctx.Value("denoising_mse_clean", dc);
        rows.Add(new[] { "none (clean input)", F(pc), F(dc), (100 * (1 - dc / pc)).ToString("0.0", CultureInfo.InvariantCulture) + "%" });
        ctx.Check("denoising_better_all", notBetter.Count == 0, notBetter.Count == 0
            ? $"lower test MSE than the plain autoencoder for all {Corruptions.Names.Length} corruptions" : $"not lower for {string.Join(", ", notBetter)}");
        ctx.Table("comparison", string.Create(CultureInfo.InvariantCulture,
            $"3(b): test MSE to the clean image for corrupted inputs (Gaussian σ = {s.Corruption.GaussianSigma}, salt and pepper on {100 * s.Corruption.SaltPepperFraction:0}% of the pixels, {100 * s.Corruption.ZeroFraction:0}% of the pixels zeroed)."),
            new[] { "corruption", "plain AE (3a)", "denoising AE", "reduction" }, rows);

        var shownMaps = Figures(ctx, s, data.Test, plain, denoising);
        ctx.Check("figures_ok", shownMaps > 0, $"{shownMaps} first-layer maps of each model for the same clean test image, side by side");
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The denoising model lowers the error on corrupted inputs for {better} of {Corruptions.Names.Length} corruptions; on clean inputs its error is {F(dc)} against the plain model's {F(pc)}."));
        var index = Q3aAutoencoder.FirstOfEachClass(data.Test, 1)[0];
        var (plainDead, plainRough) = Q3aAutoencoder.MapStatistics(plain, data.Test, index, ctx.Device);
        var (denoisingDead, denoisingRough) = Q3aAutoencoder.MapStatistics(denoising, data.Test, index, ctx.Device);
        ctx.Value("plain_roughness", plainRough);
        ctx.Value("denoising_roughness", denoisingRough);
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"First-layer maps on the same clean image: neighbouring pixels differ by {100 * denoisingRough:0.0}% of the mean activation for the denoising model against {100 * plainRough:0.0}% for the plain one ({(denoisingRough < plainRough ? "smoother" : "rougher")} maps); {denoisingDead} and {plainDead} of {ConvAutoencoder.Channels1} maps stay at zero."));
    }

    private static string F(double v) => v.ToString("0.00000", CultureInfo.InvariantCulture);

    /// <summary>Checks the corruptions on grey (0.5) images, where every changed pixel is visible.</summary>
    private static void CheckCorruptions(RunContext ctx, Settings_ s)
    {
        using var scope = NewDisposeScope();
        var shape = DataSetCatalog.FashionMnist.TrainImages.Shape;
        var grey = full(new long[] { s.CheckImages, 1, shape[1], shape[2] }, 0.5f);
        int size = Pixels;
        // Every image has exactly k changed pixels, each to an allowed value; the finding names the first image that has not.
        Findings ExactlyK(string kind, double fraction, Func<float, bool> allowed, string values)
        {
            var c = Corruptions.Apply(kind, grey, s.Corruption, ctx.Seed, 7).data<float>().ToArray();
            int k = Corruptions.Count(fraction, size);
            var found = new Findings();
            for (int img = 0; img < s.CheckImages && found.Holds; img++)
            {
                int changed = 0, bad = -1;
                for (int j = 0; j < size; j++)
                {
                    var v = c[img * size + j];
                    if (v != 0.5f) { changed++; if (!allowed(v) && bad < 0) bad = j; }
                }
                int i = img;
                found.Expect(bad < 0, () => $"image {i}: pixel {bad} set to {c[i * size + bad]}, not {values}")
                     .Expect(changed == k, () => $"image {i}: {changed} pixels changed, not round({fraction.ToString(CultureInfo.InvariantCulture)}·{size}) = {k}");
            }
            return found;
        }
        var sp = Corruptions.Apply("salt_pepper", grey, s.Corruption, ctx.Seed, 7).data<float>().ToArray();
        double saltShare = (double)sp.Count(v => v == 1f) / Math.Max(1, sp.Count(v => v != 0.5f));
        ctx.Value("salt_share", saltShare);
        var saltPepper = ExactlyK("salt_pepper", s.Corruption.SaltPepperFraction, v => v is 0f or 1f, "0 or 1")
            .Expect(Math.Abs(saltShare - 0.5) < SaltShareTolerance, () => $"{Show.Percent(saltShare)} of the changed pixels are salt (1), not about half");
        ctx.Check("salt_pepper_ok", saltPepper, $"{s.CheckImages} grey images: each has exactly {Corruptions.Count(s.Corruption.SaltPepperFraction, size)} pixels set to 0 or 1 ({Show.Percent(saltShare)} salt), the rest unchanged");
        ctx.Check("zero_ok", ExactlyK("zero", s.Corruption.ZeroFraction, v => v == 0f, "0"),
            $"{s.CheckImages} grey images: each has exactly {Corruptions.Count(s.Corruption.ZeroFraction, size)} pixels set to 0, the rest unchanged");

        var g = Corruptions.Apply("gaussian", grey, s.Corruption, ctx.Seed, 7);
        double mean = g.mean().item<float>(), std = g.std().item<float>();
        double expectedStd = ClippedStd(s.Corruption.GaussianSigma);
        ctx.Value("gaussian_mean", mean);
        ctx.Value("gaussian_std", std);
        ctx.Value("gaussian_expected_std", expectedStd);
        float gMin = g.min().item<float>(), gMax = g.max().item<float>();
        var gaussian = new Findings()
            .Expect(Math.Abs(mean - 0.5) < MeanTolerance, () => $"mean {mean:0.0000}, not 0.5 ± {MeanTolerance}")
            .Expect(Math.Abs(std / expectedStd - 1) < StdTolerance, () => $"std {std:0.0000} against the clipped normal's {expectedStd:0.0000}")
            .Expect(gMin >= 0 && gMax <= 1, () => $"values in [{gMin}, {gMax}], outside [0,1]");
        ctx.Check("gaussian_ok", gaussian, string.Create(CultureInfo.InvariantCulture,
            $"{s.CheckImages} grey images with σ = {s.Corruption.GaussianSigma}: mean {mean:0.0000}, std {std:0.0000} (clipped normal: {expectedStd:0.0000}), values in [0,1]"));

        bool same = Corruptions.Apply("gaussian", grey, s.Corruption, ctx.Seed, 7).eq(g).all().item<bool>();
        bool differs = !Corruptions.Apply("gaussian", grey, s.Corruption, ctx.Seed, 8).eq(g).all().item<bool>();
        ctx.Check("seeded_ok", new Findings().Expect(same, "batch 7 drawn twice gives different noise").Expect(differs, "batches 7 and 8 draw the same noise"),
            "batch 7 drawn twice gives identical noise; batch 8 draws different noise");
    }

    /// <summary>Standard deviation of clamp(0.5 + σZ, 0, 1), by numerical integration over the normal density.</summary>
    private static double ClippedStd(double sigma)
    {
        double sum = 0, sumSq = 0, total = 0;
        for (double z = -8; z <= 8; z += 1e-3)
        {
            double w = Math.Exp(-z * z / 2), v = Math.Clamp(0.5 + sigma * z, 0, 1);
            sum += w * v; sumSq += w * v * v; total += w;
        }
        double m = sum / total;
        return Math.Sqrt(sumSq / total - m * m);
    }

    /// <summary>The denoising examples and the side-by-side first-layer maps; returns how many maps of each model are shown.</summary>
    private static int Figures(RunContext ctx, Settings_ s, Harness.Core.Data.ImageDataSet test, ConvAutoencoder plain, ConvAutoencoder denoising)
    {
        var index = Q3aAutoencoder.FirstOfEachClass(test, 10)[0];
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            plain.eval(); denoising.eval();
            var clean = test.Images.index_select(0, tensor(new[] { index })).to(ctx.Device);
            var images = new List<GridImage>();
            foreach (var kind in Corruptions.Names)
            {
                var noisy = Corruptions.Apply(kind, clean, s.Corruption, ctx.Seed, 2_000_000);
                images.Add(new GridImage("clean", Q3aAutoencoder.Pixels(clean)));
                images.Add(new GridImage(kind.Replace('_', ' '), Q3aAutoencoder.Pixels(noisy)));
                images.Add(new GridImage("plain AE", Q3aAutoencoder.Pixels(plain.call(noisy))));
                images.Add(new GridImage("denoising AE", Q3aAutoencoder.Pixels(denoising.call(noisy))));
            }
            ctx.Figure("denoising_examples", "3(b): a test image, its corrupted version and the outputs of the plain (3a) and denoising autoencoders, one row per corruption.",
                new ImageGridSpec("Denoising examples", 28, 28, 1, 4, images));
        }
        const int shown = 16, columns = 8;
        var maps = Q3aAutoencoder.FeatureMaps(plain, test, index, ctx.Device, "plain", shown);
        maps.AddRange(Q3aAutoencoder.FeatureMaps(denoising, test, index, ctx.Device, "denoising", shown));
        ctx.Figure("feature_maps", $"3(b): the first {shown} first-layer feature maps of the plain autoencoder (top {Show.Word(shown / columns)} rows) and of the denoising autoencoder (bottom {Show.Word(shown / columns)} rows) for the same clean test image.",
            new ImageGridSpec("First-layer feature maps: plain vs denoising", 28, 28, 1, columns, maps, Normalize: true));
        return shown;
    }
}
