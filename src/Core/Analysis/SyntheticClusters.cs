using Harness.Core.Data;

namespace Harness.Core.Analysis;

/// <summary>Well-separated isotropic Gaussian clusters, seeded: a known answer for embeddings such as t-SNE.</summary>
public static class SyntheticClusters
{
    /// <summary>
    /// <paramref name="clusters"/> × <paramref name="perCluster"/> points in <paramref name="dim"/> dimensions; each centre is
    /// drawn from N(0, separation²·I) and each point from N(centre, I), so centres lie ≈ separation·√(2·dim) apart.
    /// </summary>
    public static (float[] Points, long[] Labels) Gaussian(int clusters, int perCluster, int dim, double separation, int seed)
    {
        var rng = new SeededRandom(seed, 0xc105);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var centres = new double[clusters, dim];
        for (int c = 0; c < clusters; c++)
            for (int d = 0; d < dim; d++) centres[c, d] = separation * Normal();
        int n = clusters * perCluster;
        var points = new float[n * dim];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % clusters;
            labels[i] = c;
            for (int d = 0; d < dim; d++) points[i * dim + d] = (float)(centres[c, d] + Normal());
        }
        return (points, labels);
    }
}
