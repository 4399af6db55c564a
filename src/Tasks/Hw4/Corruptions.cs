namespace Harness.Tasks.Hw4;

/// <summary>
/// The three corruptions of 3(b), seeded by (seed, purpose, batch) so that every run draws the same noise:
/// Gaussian noise of standard deviation σ added and clipped to [0,1]; salt and pepper, which sets exactly
/// round(f·784) drawn pixels of every image to 0 or 1 (each with probability ½); and zeroing, which sets exactly
/// round(f·784) drawn pixels to 0. The images are N×1×28×28 in [0,1]; the result is a new tensor.
/// </summary>
public static class Corruptions
{
    public sealed record Settings(double GaussianSigma, double SaltPepperFraction, double ZeroFraction);

    public static readonly string[] Names = { "gaussian", "salt_pepper", "zero" };

    public static Tensor Apply(string kind, Tensor clean, Settings s, long seed, long stream)
    {
        var pixels = clean.cpu().contiguous().data<float>().ToArray();
        int n = (int)clean.shape[0], size = pixels.Length / Math.Max(n, 1);
        var rng = new SeededRandom(seed, 0xc0ff, Array.IndexOf(Names, kind), stream);
        switch (kind)
        {
            case "gaussian":
                for (int i = 0; i < pixels.Length; i++) pixels[i] = Math.Clamp(pixels[i] + (float)(s.GaussianSigma * Normal(rng)), 0f, 1f);
                break;
            case "salt_pepper":
            case "zero":
                int k = Count(kind == "zero" ? s.ZeroFraction : s.SaltPepperFraction, size);
                var order = new int[size];
                for (int img = 0; img < n; img++)
                {
                    for (int j = 0; j < size; j++) order[j] = j;
                    for (int j = 0; j < k; j++)
                    {
                        // Partial Fisher–Yates: the first k entries become a uniform draw of k distinct pixels.
                        int r = j + rng.NextInt(size - j);
                        (order[j], order[r]) = (order[r], order[j]);
                        pixels[img * size + order[j]] = kind == "zero" ? 0f : (rng.NextInt(2) == 0 ? 0f : 1f);
                    }
                }
                break;
            default: throw new ArgumentException($"unknown corruption {kind}");
        }
        return tensor(pixels, clean.shape).to(clean.device);
    }

    /// <summary>Pixels an image gets corrupted by salt-and-pepper or zeroing.</summary>
    public static int Count(double fraction, int size) => (int)Math.Round(fraction * size);

    private static double Normal(SeededRandom rng)
    {
        // Box–Muller; 1 − u keeps the logarithm finite.
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
