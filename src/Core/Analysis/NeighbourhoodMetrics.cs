using Harness.Core.Data;
using static TorchSharp.torch;

namespace Harness.Core.Analysis;

/// <summary>How well an embedding keeps neighbourhoods: k-NN classification accuracy and trustworthiness.</summary>
public static class NeighbourhoodMetrics
{
    /// <summary>
    /// Leave-one-out k-NN accuracy: each point gets the majority label of its k nearest other points
    /// (ties go to the tied class whose nearest member is closest).
    /// </summary>
    public static double KnnAccuracy(float[] points, int n, int dim, long[] labels, int k)
    {
        var predicted = KnnPredictions(points, n, dim, labels, k);
        int correct = 0;
        for (int i = 0; i < n; i++) if (predicted[i] == labels[i]) correct++;
        return (double)correct / n;
    }

    /// <summary>The leave-one-out k-NN prediction of every point (see <see cref="KnnAccuracy"/>).</summary>
    public static long[] KnnPredictions(float[] points, int n, int dim, long[] labels, int k)
    {
        var (index, _) = NearestNeighbours.Find(points, n, dim, k);
        int classes = (int)labels.Max() + 1;
        var result = new long[n];
        var votes = new int[classes];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(votes);
            for (int j = 0; j < k; j++) votes[labels[index[i * k + j]]]++;
            int top = votes.Max();
            long predicted = -1;
            for (int j = 0; j < k && predicted < 0; j++)
                if (votes[labels[index[i * k + j]]] == top) predicted = labels[index[i * k + j]];
            result[i] = predicted;
        }
        return result;
    }

    /// <summary>
    /// Trustworthiness T(k) (Venna and Kaski; as sklearn.manifold.trustworthiness): 1 − 2/(n k (2n − 3k − 1)) ·
    /// Σᵢ Σ_{j ∈ N_k^low(i)} max(0, r(i, j) − k), where r(i, j) is j's rank among i's neighbours in the original space.
    /// With more than <paramref name="maxPoints"/> points it is computed on a seeded random subset (ranks within the subset).
    /// </summary>
    public static (double Value, int PointsUsed) Trustworthiness(float[] high, int highDim, float[] low, int lowDim, int n, int k,
        int maxPoints = 5000, int seed = 0)
    {
        int[] subset = n <= maxPoints ? Enumerable.Range(0, n).ToArray()
            : new SeededRandom(seed, 0x7a57).Permutation(n).Take(maxPoints).Select(i => (int)i).OrderBy(i => i).ToArray();
        int m = subset.Length;
        float[] Pick(float[] src, int dim)
        {
            var r = new float[m * dim];
            for (int i = 0; i < m; i++) Array.Copy(src, (long)subset[i] * dim, r, (long)i * dim, dim);
            return r;
        }
        var hi = Pick(high, highDim);
        var lo = Pick(low, lowDim);
        var (lowNn, _) = NearestNeighbours.Find(lo, m, lowDim, k);
        double penalty = 0;
        using (var scope = NewDisposeScope())
        {
            var x = tensor(hi).reshape(m, highDim).to_type(ScalarType.Float64);
            var norms = x.pow(2).sum(1);
            const int block = 500;
            for (int start = 0; start < m; start += block)
            {
                using var inner = NewDisposeScope();
                int rows = Math.Min(block, m - start);
                var d = (norms.narrow(0, start, rows).unsqueeze(1) + norms.unsqueeze(0) - 2 * x.narrow(0, start, rows).matmul(x.t())).clamp_min(0);
                var self = arange(start, start + rows, dtype: ScalarType.Int64).unsqueeze(1);
                d = d.scatter(1, self, full(new long[] { rows, 1 }, -1.0, dtype: ScalarType.Float64)); // self ranks 0
                // rank[i, j] = position of j in i's ordering by distance (self 0, nearest other 1, …)
                var order = d.argsort(1);
                var rank = empty_like(order).scatter_(1, order, arange(m, dtype: ScalarType.Int64).unsqueeze(0).expand(rows, m).contiguous());
                var ranks = rank.data<long>().ToArray();
                for (int r = 0; r < rows; r++)
                {
                    int i = start + r;
                    for (int j = 0; j < k; j++)
                        penalty += Math.Max(0, ranks[(long)r * m + lowNn[i * k + j]] - k);
                }
            }
        }
        double t = 1 - 2.0 / (m * (double)k * (2.0 * m - 3.0 * k - 1.0)) * penalty;
        return (t, m);
    }
}
