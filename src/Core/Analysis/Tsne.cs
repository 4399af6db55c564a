using System.Diagnostics;
using Harness.Core.Data;

namespace Harness.Core.Analysis;

/// <summary>
/// t-SNE (van der Maaten and Hinton 2008) onto the plane, seeded and deterministic. Exact O(N²) gradients for small N;
/// Barnes–Hut (van der Maaten 2014) for large N: input affinities on the 3·perplexity nearest neighbours only and
/// repulsion from a quadtree with opening angle θ, O(N log N) per iteration. The optimiser follows the usual
/// recipe (as sklearn): early exaggeration 12 for 250 iterations with momentum 0.5, then momentum 0.8, per-coordinate
/// gains, learning rate max(N / exaggeration / 4, 50) unless given.
/// </summary>
public static class Tsne
{
    /// <summary>The KL divergence is measured (and kept in the history) every this many iterations, and at the last.</summary>
    public const int HistoryEvery = 50;

    public sealed record Settings(double Perplexity = 30, int Iterations = 1000, double EarlyExaggeration = 12,
        int ExaggerationIterations = 250, double LearningRate = 0, double Theta = 0.5, bool? BarnesHut = null, int ExactUpTo = 2000);

    /// <summary>Embedding (N×2 row-major), the final KL divergence (exact, or over the sparse P for Barnes–Hut) and its history.</summary>
    public sealed record Result(float[] Embedding, double KlDivergence, IReadOnlyList<(int Iteration, double Kl)> History, bool BarnesHut,
        double AffinitySeconds, double OptimisationSeconds);

    public static Result Embed(float[] data, int n, int dim, Settings s, int seed, Action<int, double>? progress = null)
    {
        bool bh = s.BarnesHut ?? n > s.ExactUpTo;
        var clock = Stopwatch.StartNew();
        Affinities p = bh ? SparseAffinities(data, n, dim, s.Perplexity) : DenseAffinities(data, n, dim, s.Perplexity);
        var affinitySeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();

        // Small Gaussian start (σ = 1e-4), seeded with our own generator.
        var rng = new SeededRandom(seed, 0x75e);
        var y = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) y[i] = 1e-4 * Gaussian(rng);
        var update = new double[2 * n];
        var gains = Enumerable.Repeat(1.0, 2 * n).ToArray();
        var grad = new double[2 * n];
        double lr = s.LearningRate > 0 ? s.LearningRate : Math.Max(n / s.EarlyExaggeration / 4, 50);
        var history = new List<(int, double)>();
        double kl = double.NaN;
        for (int it = 0; it < s.Iterations; it++)
        {
            bool early = it < s.ExaggerationIterations;
            double exaggeration = early ? s.EarlyExaggeration : 1;
            double momentum = early ? 0.5 : 0.8;
            bool measure = (it + 1) % HistoryEvery == 0 || it == s.Iterations - 1;
            double z = p.Gradient(y, exaggeration, s.Theta, grad);
            for (int i = 0; i < 2 * n; i++)
            {
                // Gains grow where the gradient keeps its direction against the last update, shrink where it flips.
                gains[i] = Math.Sign(grad[i]) != Math.Sign(update[i]) ? gains[i] + 0.2 : Math.Max(gains[i] * 0.8, 0.01);
                update[i] = momentum * update[i] - lr * gains[i] * grad[i];
                y[i] += update[i];
            }
            if (measure)
            {
                kl = p.KlDivergence(y, z);
                history.Add((it + 1, kl));
                progress?.Invoke(it + 1, kl);
                if (!double.IsFinite(kl)) throw new InvalidOperationException($"t-SNE diverged at iteration {it + 1} (KL {kl}).");
            }
        }
        // The KL of the final layout (Z recomputed on the final positions).
        kl = p.KlDivergence(y, p.Gradient(y, 1, s.Theta, grad));
        return new Result(y.Select(v => (float)v).ToArray(), kl, history, bh, affinitySeconds, clock.Elapsed.TotalSeconds);
    }

    private static double Gaussian(SeededRandom r)
    {
        double u = 1 - r.NextDouble(), v = r.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>
    /// Conditional probabilities p(j|i) ∝ exp(−β d²) over the given squared distances, with β found by bisection so that
    /// the entropy equals log(perplexity). Writes into <paramref name="row"/>.
    /// </summary>
    internal static void Conditional(ReadOnlySpan<double> d2, Span<double> row, double perplexity, int self = -1)
    {
        double target = Math.Log(perplexity), beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
        double minD = double.PositiveInfinity;
        for (int j = 0; j < d2.Length; j++) if (j != self && d2[j] < minD) minD = d2[j];
        for (int step = 0; step < 100; step++)
        {
            double sum = 0, weighted = 0;
            for (int j = 0; j < d2.Length; j++)
            {
                // Shifted by the smallest distance so that exp never underflows to an all-zero row.
                double v = j == self ? 0 : Math.Exp(-beta * (d2[j] - minD));
                row[j] = v; sum += v; weighted += v * (d2[j] - minD);
            }
            double entropy = Math.Log(sum) + beta * weighted / sum;
            for (int j = 0; j < d2.Length; j++) row[j] /= sum;
            double diff = entropy - target;
            if (Math.Abs(diff) < 1e-5) break;
            if (diff > 0) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
            else { hi = beta; beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2; }
        }
    }

    private abstract class Affinities
    {
        /// <summary>Writes ∂KL/∂y into grad and returns Z = Σ_{i≠j} (1 + |yᵢ − yⱼ|²)⁻¹ (exact or estimated).</summary>
        public abstract double Gradient(double[] y, double exaggeration, double theta, double[] grad);
        public abstract double KlDivergence(double[] y, double z);
    }

    private static DenseP DenseAffinities(float[] x, int n, int dim, double perplexity)
    {
        var d2 = new double[n * n];
        Parallel.For(0, n, i =>
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int t = 0; t < dim; t++) { double v = x[i * dim + t] - x[j * dim + t]; s += v * v; }
                d2[i * n + j] = s;
            }
        });
        var cond = new double[n * n];
        Parallel.For(0, n, i => Conditional(d2.AsSpan(i * n, n), cond.AsSpan(i * n, n), perplexity, self: i));
        var p = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                p[i * n + j] = Math.Max((cond[i * n + j] + cond[j * n + i]) / (2.0 * n), 1e-12);
        for (int i = 0; i < n; i++) p[i * n + i] = 0;
        return new DenseP(n, p);
    }

    private sealed class DenseP(int n, double[] p) : Affinities
    {
        private readonly double[] _w = new double[n * n];

        public override double Gradient(double[] y, double exaggeration, double theta, double[] grad)
        {
            var rowZ = new double[n];
            Parallel.For(0, n, i =>
            {
                double z = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) { _w[i * n + j] = 0; continue; }
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    _w[i * n + j] = w; z += w;
                }
                rowZ[i] = z;
            });
            double zSum = rowZ.Sum();
            Parallel.For(0, n, i =>
            {
                double gx = 0, gy = 0;
                for (int j = 0; j < n; j++)
                {
                    double w = _w[i * n + j];
                    double m = (exaggeration * p[i * n + j] - w / zSum) * w;
                    gx += m * (y[2 * i] - y[2 * j]); gy += m * (y[2 * i + 1] - y[2 * j + 1]);
                }
                grad[2 * i] = 4 * gx; grad[2 * i + 1] = 4 * gy;
            });
            return zSum;
        }

        public override double KlDivergence(double[] y, double z)
        {
            double kl = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    if (i == j) continue;
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double q = Math.Max(1 / (1 + dx * dx + dy * dy) / z, 1e-12);
                    kl += p[i * n + j] * Math.Log(p[i * n + j] / q);
                }
            return kl;
        }
    }

    private static SparseP SparseAffinities(float[] x, int n, int dim, double perplexity)
    {
        int k = Math.Min(n - 1, (int)(3 * perplexity));
        var (index, dist) = NearestNeighbours.Find(x, n, dim, k);
        var cond = new double[n * k];
        Parallel.For(0, n, i =>
        {
            var d2 = new double[k];
            for (int j = 0; j < k; j++) d2[j] = dist[i * k + j];
            Conditional(d2, cond.AsSpan(i * k, k), perplexity);
        });
        // Symmetrise: P = (P_cond + P_condᵀ) / 2N on the union of both neighbour lists, stored row-wise (CSR).
        var rows = new Dictionary<int, double>[n];
        for (int i = 0; i < n; i++) rows[i] = new Dictionary<int, double>(k * 2);
        for (int i = 0; i < n; i++)
            for (int t = 0; t < k; t++)
            {
                int j = index[i * k + t];
                double v = cond[i * k + t] / (2.0 * n);
                rows[i][j] = rows[i].GetValueOrDefault(j) + v;
                rows[j][i] = rows[j].GetValueOrDefault(i) + v;
            }
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + rows[i].Count;
        var col = new int[start[n]];
        var val = new double[start[n]];
        for (int i = 0; i < n; i++)
        {
            int at = start[i];
            foreach (var (j, v) in rows[i].OrderBy(e => e.Key)) { col[at] = j; val[at] = v; at++; }
        }
        return new SparseP(n, start, col, val);
    }

    private sealed class SparseP(int n, int[] start, int[] col, double[] val) : Affinities
    {
        public override double Gradient(double[] y, double exaggeration, double theta, double[] grad)
        {
            var tree = new QuadTree(y, n);
            var rowZ = new double[n];
            var repX = new double[n];
            var repY = new double[n];
            // Each point's sums are its own, so the parallel loop gives the same numbers as a serial one.
            Parallel.For(0, n, () => new int[4096], (i, _, stack) =>
            {
                var (z, fx, fy) = tree.Repulsion(i, y[2 * i], y[2 * i + 1], theta, stack);
                rowZ[i] = z; repX[i] = fx; repY[i] = fy;
                return stack;
            }, _ => { });
            double zSum = 0;
            for (int i = 0; i < n; i++) zSum += rowZ[i];
            Parallel.For(0, n, i =>
            {
                double ax = 0, ay = 0;
                for (int e = start[i]; e < start[i + 1]; e++)
                {
                    int j = col[e];
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    ax += val[e] * w * dx; ay += val[e] * w * dy;
                }
                grad[2 * i] = 4 * (exaggeration * ax - repX[i] / zSum);
                grad[2 * i + 1] = 4 * (exaggeration * ay - repY[i] / zSum);
            });
            return zSum;
        }

        public override double KlDivergence(double[] y, double z)
        {
            double kl = 0;
            for (int i = 0; i < n; i++)
                for (int e = start[i]; e < start[i + 1]; e++)
                {
                    int j = col[e];
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double q = Math.Max(1 / (1 + dx * dx + dy * dy) / z, 1e-12);
                    kl += val[e] * Math.Log(Math.Max(val[e], 1e-12) / q);
                }
            return kl;
        }
    }
}
