using static TorchSharp.torch;

namespace Harness.Core.Analysis;

/// <summary>
/// Exact k-nearest neighbours of every row of an N×D matrix (Euclidean), computed in row blocks with matrix
/// products so that 60,000 × 60,000 distances never exist at once. The point itself is excluded.
/// </summary>
public static class NearestNeighbours
{
    /// <summary>Indices (N×k, nearest first) and squared distances of each point's k nearest other points.</summary>
    public static (int[] Index, float[] SquaredDistance) Find(float[] data, int n, int dim, int k, int blockRows = 0)
    {
        // About 16 million distances per block (128 MB in float64) unless told otherwise.
        if (blockRows <= 0) blockRows = Math.Clamp(16_000_000 / n, 16, 1024);
        if (k >= n) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} needs more than {n} points");
        var index = new int[n * k];
        var dist = new float[n * k];
        using var outer = NewDisposeScope();
        // float64 keeps the |a|² + |b|² − 2ab expansion accurate enough that neighbour order matches direct distances.
        var x = tensor(data).reshape(n, dim).to_type(ScalarType.Float64);
        var norms = x.pow(2).sum(1);
        for (int start = 0; start < n; start += blockRows)
        {
            using var scope = NewDisposeScope();
            int rows = Math.Min(blockRows, n - start);
            var a = x.narrow(0, start, rows);
            var d = norms.narrow(0, start, rows).unsqueeze(1) + norms.unsqueeze(0) - 2 * a.matmul(x.t());
            d = d.clamp_min(0);
            // Exclude each point itself.
            var self = arange(start, start + rows, dtype: ScalarType.Int64).unsqueeze(1);
            d = d.scatter(1, self, full(new long[] { rows, 1 }, double.PositiveInfinity, dtype: ScalarType.Float64));
            var (values, indices) = d.topk(k, dim: 1, largest: false, sorted: true);
            var vi = indices.to_type(ScalarType.Int32).data<int>().ToArray();
            var vv = values.to_type(ScalarType.Float32).data<float>().ToArray();
            Array.Copy(vi, 0, index, (long)start * k, vi.Length);
            Array.Copy(vv, 0, dist, (long)start * k, vv.Length);
        }
        return (index, dist);
    }
}
