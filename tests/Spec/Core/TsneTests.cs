using FluentAssertions;
using Harness.Core.Analysis;
using Harness.Core.Data;
using NUnit.Framework;

namespace Harness.Spec.Core;

[Property("Area", "Analysis")]
public sealed class TsneTests
{
    private static readonly Tsne.Settings Short = new(Perplexity: 15, Iterations: 400, ExaggerationIterations: 100);

    [Test]
    public void Exact_tsne_keeps_separated_clusters_apart_and_is_deterministic()
    {
        var (x, labels) = SyntheticClusters.Gaussian(5, 40, 20, 3, seed: 1);
        var a = Tsne.Embed(x, 200, 20, Short with { BarnesHut = false }, seed: 3);
        var b = Tsne.Embed(x, 200, 20, Short with { BarnesHut = false }, seed: 3);
        a.BarnesHut.Should().BeFalse();
        a.Embedding.Should().Equal(b.Embedding);
        NeighbourhoodMetrics.KnnAccuracy(a.Embedding, 200, 2, labels, 10).Should().BeGreaterThanOrEqualTo(0.99);
        double.IsFinite(a.KlDivergence).Should().BeTrue();
        a.History[^1].Kl.Should().BeLessThan(a.History.First(h => h.Iteration > 100).Kl + 1e-9);
    }

    [Test]
    public void Barnes_hut_tsne_keeps_separated_clusters_apart_with_a_kl_close_to_the_exact_one()
    {
        var (x, labels) = SyntheticClusters.Gaussian(6, 60, 30, 3, seed: 2);
        var bh = Tsne.Embed(x, 360, 30, Short with { BarnesHut = true }, seed: 5);
        bh.BarnesHut.Should().BeTrue();
        NeighbourhoodMetrics.KnnAccuracy(bh.Embedding, 360, 2, labels, 10).Should().BeGreaterThanOrEqualTo(0.99);
        bh.KlDivergence.Should().BeInRange(0, 3);
        NeighbourhoodMetrics.Trustworthiness(x, 30, bh.Embedding, 2, 360, 10).Value.Should().BeGreaterThan(0.9);
    }

    [Test]
    public void Nearest_neighbours_match_a_brute_force_search()
    {
        var rng = new SeededRandom(9);
        int n = 300, dim = 7, k = 5;
        var x = Enumerable.Range(0, n * dim).Select(_ => (float)rng.NextDouble()).ToArray();
        var (index, dist) = NearestNeighbours.Find(x, n, dim, k, blockRows: 64);
        for (int i = 0; i < n; i++)
        {
            var expected = Enumerable.Range(0, n).Where(j => j != i)
                .Select(j => (j, d: Enumerable.Range(0, dim).Sum(t => Math.Pow(x[i * dim + t] - x[j * dim + t], 2))))
                .OrderBy(p => p.d).Take(k).ToList();
            index.Skip(i * k).Take(k).Should().Equal(expected.Select(p => p.j));
            dist[i * k].Should().BeApproximately((float)expected[0].d, 1e-4f);
        }
    }

    [Test]
    public void Trustworthiness_is_one_for_an_isometric_embedding_and_about_one_half_for_a_random_one()
    {
        var rng = new SeededRandom(4);
        int n = 400;
        var plane = Enumerable.Range(0, 2 * n).Select(_ => (float)rng.NextDouble()).ToArray();
        // The same points, rotated and lifted into 3-d: every neighbourhood is kept.
        var lifted = new float[3 * n];
        for (int i = 0; i < n; i++) { lifted[3 * i] = plane[2 * i + 1]; lifted[3 * i + 1] = -plane[2 * i]; lifted[3 * i + 2] = 5; }
        NeighbourhoodMetrics.Trustworthiness(lifted, 3, plane, 2, n, 10).Value.Should().BeApproximately(1.0, 1e-12);
        var random = Enumerable.Range(0, 2 * n).Select(_ => (float)rng.NextDouble()).ToArray();
        NeighbourhoodMetrics.Trustworthiness(lifted, 3, random, 2, n, 10).Value.Should().BeInRange(0.4, 0.6);
    }

    [Test]
    public void Knn_accuracy_takes_the_majority_of_the_other_points()
    {
        // Two tight groups far apart, one point of group 0 mislabelled as 1: it is outvoted, everything else is right.
        var points = new float[] { 0, 0, 0, 0.1f, 0.1f, 0, 0.1f, 0.1f, 10, 10, 10, 10.1f, 10.1f, 10, 10.1f, 10.1f };
        var labels = new long[] { 0, 0, 0, 1, 1, 1, 1, 1 };
        NeighbourhoodMetrics.KnnAccuracy(points, 8, 2, labels, 3).Should().Be(7.0 / 8);
    }
}
