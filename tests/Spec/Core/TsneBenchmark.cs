using System.Diagnostics;
using Harness.Core.Analysis;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>
/// Barnes–Hut t-SNE at the full profile's size (60,000 points, 128-d, the usual settings) on synthetic clusters:
/// run by hand (`dotnet test tests/Spec --filter Category=Benchmark`) to time it on a machine; never in CI.
/// </summary>
[Explicit("minutes of CPU"), Category("Benchmark"), Property("Area", "Analysis")]
public sealed class TsneBenchmark
{
    [Test]
    public void Barnes_hut_on_60000_points()
    {
        int n = 60000, dim = 128;
        // HARNESS_TSNE_BENCH_ITERATIONS=50 times a short run; per-iteration time × 1000 then estimates a full one.
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("HARNESS_TSNE_BENCH_ITERATIONS"), out var it0) ? it0 : 1000;
        var (x, labels) = SyntheticClusters.Gaussian(10, n / 10, dim, 1.0, seed: 1);
        var clock = Stopwatch.StartNew();
        var r = Tsne.Embed(x, n, dim, new Tsne.Settings(Iterations: iterations), seed: 1, (it, kl) => TestContext.Progress.WriteLine($"iteration {it}: KL {kl:0.0000} ({clock.Elapsed.TotalSeconds:0}s)"));
        TestContext.Progress.WriteLine($"60,000 points, {iterations} iterations: affinities {r.AffinitySeconds:0.0}s, optimisation {r.OptimisationSeconds:0.0}s, total {clock.Elapsed.TotalSeconds:0.0}s on {Environment.ProcessorCount} cores; KL {r.KlDivergence:0.0000}; "
            + $"10-NN accuracy {NeighbourhoodMetrics.KnnAccuracy(r.Embedding, n, 2, labels, 10):0.0000}");
    }
}
