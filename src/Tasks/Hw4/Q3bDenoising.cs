using TorchSharp;
using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Tasks.Hw4.Models;
using static TorchSharp.torch;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 3(b): a denoising autoencoder (same architecture and settings as 3(a)) trained on corrupted inputs — Gaussian
/// noise, salt and pepper, zeroed pixels, one corruption per batch in turn — against the clean images; compared
/// with 3(a)'s plain autoencoder on corrupted test images.
/// </summary>
public sealed class Q3bDenoising : TaskDefinition
{
    public sealed record Settings_(Q3aAutoencoder.Settings_ Base, Corruptions.Settings Corruption, int CheckImages);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "3b";
    public override string Title => "A denoising autoencoder";
    public override string SeedText => "Corrupt your input images by adding strong noise (Gaussian, Salt and Pepper, completely set pixels to zero) but keep the output unchanged. Train the denoising autoencoder and compare the feature maps of the first layer with those of 3(a).";
    public override IReadOnlyList<string> DependsOn { get; } = new[] { "3a" };

    public override object Settings(Profile profile) =>
        new Settings_((Q3aAutoencoder.Settings_)new Q3aAutoencoder().Settings(profile), new Corruptions.Settings(GaussianSigma: 0.5, SaltPepperFraction: 0.3, ZeroFraction: 0.5), CheckImages: 200);

    public override IReadOnlyList<Requirement> Requirements { get; } = new[]
    {
        Requirement.Holds("hw4.3b.gaussian", "Gaussian corruption: noise of the set σ is added to every pixel and the result clipped to [0,1] (checked on grey images: mean 0.5 ± 0.01, std within 10% of the clipped normal's).", 0.5, "gaussian_ok"),
        Requirement.Holds("hw4.3b.salt-pepper", "Salt and pepper sets exactly round(f·784) drawn pixels of every image to 0 or 1 (about half each) and leaves the others bit for bit unchanged.", 0.5, "salt_pepper_ok"),
        Requirement.Holds("hw4.3b.zero", "Zeroing sets exactly round(f·784) drawn pixels of every image to 0 and leaves the others unchanged.", 0.5, "zero_ok"),
        Requirement.Holds("hw4.3b.seeded", "The corruptions are seeded: the same seed and batch draw the same noise, another batch draws different noise.", 0.5, "seeded_ok"),
        Requirement.Holds("hw4.3b.better", "On corrupted test images, the denoising model's MSE to the clean image is lower than the plain autoencoder's for all three corruptions.", 2, "denoising_better_all"),
        Requirement.Holds("hw4.3b.feature-maps", "The first-layer feature maps of both models are shown side by side.", 1, "figures_ok"),
    };

    public override void Run(RunContext ctx)
    {
        var s = (Settings_)Settings(ctx.Profile);
        var (a, folder) = ctx.Dependency("3a");
        var data = UnitRangeData.Prepare(ctx.Data.FashionMnist(), new(s.Base.TrainImages, s.Base.ValidationImages, s.Base.TestImages), ctx.Seed);
        CheckCorruptions(ctx, s);

        using var plain = new ConvAutoencoder();
        plain.load(Path.Combine(folder, a.Artifacts[Q3aAutoencoder.WeightsArtifact]));
        plain.to(ctx.Device);
        manual_seed(ctx.Seed);
        using var denoising = new ConvAutoencoder();
        // Training batches cycle through the three corruptions; the noise stream is the batch number.
        Tensor Corrupt(Tensor clean, long batch) => Corruptions.Apply(Corruptions.Names[batch % 3], clean, s.Corruption, ctx.Seed, batch);
        var r = ctx.Timed("training", () => AutoencoderTraining.Train(denoising, data.Train, data.Test, s.Base.Autoencoder, ctx.Seed, ctx.Device, ctx.Progress, "3b denoising", Corrupt));
        Q3aAutoencoder.Record(ctx, r, "", "Denoising autoencoder");

        var rows = new List<IReadOnlyList<string>>();
        bool allBetter = true;
        int better = 0;
        foreach (var kind in Corruptions.Names)
        {
            // Test noise uses streams far from the training ones, so the test images are corrupted afresh.
            Tensor TestCorrupt(Tensor clean, long batch) => Corruptions.Apply(kind, clean, s.Corruption, ctx.Seed, 1_000_000 + batch);
            double p = AutoencoderTraining.Mse(plain, data.Test, ctx.Device, TestCorrupt), d = AutoencoderTraining.Mse(denoising, data.Test, ctx.Device, TestCorrupt);
            ctx.Value($"plain_mse_{kind}", p);
            ctx.Value($"denoising_mse_{kind}", d);
            allBetter &= d < p;
            if (d < p) better++;
            rows.Add(new[] { kind.Replace('_', ' '), F(p), F(d), (100 * (1 - d / p)).ToString("0.0", CultureInfo.InvariantCulture) + "%" });
        }
        double pc = AutoencoderTraining.Mse(plain, data.Test, ctx.Device), dc = AutoencoderTraining.Mse(denoising, data.Test, ctx.Device);
        ctx.Value("plain_mse_clean", pc);
        ctx.Value("denoising_mse_clean", dc);
        rows.Add(new[] { "none (clean input)", F(pc), F(dc), (100 * (1 - dc / pc)).ToString("0.0", CultureInfo.InvariantCulture) + "%" });
        ctx.Value("denoising_better_all", allBetter ? 1 : 0);
        ctx.Table("comparison", string.Create(CultureInfo.InvariantCulture,
            $"3(b): test MSE to the clean image for corrupted inputs (Gaussian σ = {s.Corruption.GaussianSigma}, salt and pepper on {100 * s.Corruption.SaltPepperFraction:0}% of the pixels, {100 * s.Corruption.ZeroFraction:0}% of the pixels zeroed)."),
            new[] { "corruption", "plain AE (3a)", "denoising AE", "reduction" }, rows);

        Figures(ctx, s, data.Test, plain, denoising);
        ctx.Value("figures_ok", 1);
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The denoising model lowers the error on corrupted inputs for {better} of 3 corruptions; on clean inputs its error is {F(dc)} against the plain model's {F(pc)}."));
        var index = Q3aAutoencoder.FirstOfEachClass(data.Test, 1)[0];
        var (plainDead, plainRough) = Q3aAutoencoder.MapStatistics(plain, data.Test, index, ctx.Device);
        var (denoisingDead, denoisingRough) = Q3aAutoencoder.MapStatistics(denoising, data.Test, index, ctx.Device);
        ctx.Value("plain_roughness", plainRough);
        ctx.Value("denoising_roughness", denoisingRough);
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"First-layer maps on the same clean image: neighbouring pixels differ by {100 * denoisingRough:0.0}% of the mean activation for the denoising model against {100 * plainRough:0.0}% for the plain one ({(denoisingRough < plainRough ? "smoother" : "rougher")} maps); {denoisingDead} and {plainDead} of 32 maps stay at zero."));
    }

    private static string F(double v) => v.ToString("0.00000", CultureInfo.InvariantCulture);

    /// <summary>Checks the corruptions on grey (0.5) images, where every changed pixel is visible.</summary>
    private static void CheckCorruptions(RunContext ctx, Settings_ s)
    {
        using var scope = NewDisposeScope();
        var grey = full(new long[] { s.CheckImages, 1, 28, 28 }, 0.5f);
        int size = 784;
        bool ExactlyK(string kind, double fraction, Func<float, bool> allowed)
        {
            var c = Corruptions.Apply(kind, grey, s.Corruption, ctx.Seed, 7).data<float>().ToArray();
            int k = Corruptions.Count(fraction, size);
            for (int img = 0; img < s.CheckImages; img++)
            {
                int changed = 0;
                for (int j = 0; j < size; j++)
                {
                    var v = c[img * size + j];
                    if (v != 0.5f) { changed++; if (!allowed(v)) return false; }
                }
                if (changed != k) return false;
            }
            return true;
        }
        var sp = Corruptions.Apply("salt_pepper", grey, s.Corruption, ctx.Seed, 7).data<float>().ToArray();
        double saltShare = (double)sp.Count(v => v == 1f) / Math.Max(1, sp.Count(v => v != 0.5f));
        ctx.Value("salt_share", saltShare);
        ctx.Value("salt_pepper_ok", ExactlyK("salt_pepper", s.Corruption.SaltPepperFraction, v => v is 0f or 1f) && saltShare is > 0.45 and < 0.55 ? 1 : 0);
        ctx.Value("zero_ok", ExactlyK("zero", s.Corruption.ZeroFraction, v => v == 0f) ? 1 : 0);

        var g = Corruptions.Apply("gaussian", grey, s.Corruption, ctx.Seed, 7);
        double mean = g.mean().item<float>(), std = g.std().item<float>();
        double expectedStd = ClippedStd(s.Corruption.GaussianSigma);
        ctx.Value("gaussian_mean", mean);
        ctx.Value("gaussian_std", std);
        ctx.Value("gaussian_expected_std", expectedStd);
        ctx.Value("gaussian_ok", Math.Abs(mean - 0.5) < 0.01 && Math.Abs(std / expectedStd - 1) < 0.1 && g.min().item<float>() >= 0 && g.max().item<float>() <= 1 ? 1 : 0);

        bool same = Corruptions.Apply("gaussian", grey, s.Corruption, ctx.Seed, 7).eq(g).all().item<bool>();
        bool differs = !Corruptions.Apply("gaussian", grey, s.Corruption, ctx.Seed, 8).eq(g).all().item<bool>();
        ctx.Value("seeded_ok", same && differs ? 1 : 0);
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

    private static void Figures(RunContext ctx, Settings_ s, Harness.Core.Data.ImageDataSet test, ConvAutoencoder plain, ConvAutoencoder denoising)
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
        var maps = Q3aAutoencoder.FeatureMaps(plain, test, index, ctx.Device, "plain", 16);
        maps.AddRange(Q3aAutoencoder.FeatureMaps(denoising, test, index, ctx.Device, "denoising", 16));
        ctx.Figure("feature_maps", "3(b): the first 16 first-layer feature maps of the plain autoencoder (top two rows) and of the denoising autoencoder (bottom two rows) for the same clean test image.",
            new ImageGridSpec("First-layer feature maps: plain vs denoising", 28, 28, 1, 8, maps, Normalize: true));
    }
}
