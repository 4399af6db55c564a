using static TorchSharp.torch;

namespace Harness.Core.Analysis;

/// <summary>
/// Principal component analysis on tensors, by eigendecomposition of the covariance matrix (float64, so that the
/// components are orthonormal to ~1e-12). Deterministic: no randomised solver; each component's sign is fixed so
/// that its largest-magnitude entry is positive (eigenvectors are only defined up to sign).
/// </summary>
public sealed class Pca : IDisposable
{
    /// <summary>Mean of the fitted data (D), float64.</summary>
    public Tensor Mean { get; }
    /// <summary>Components as rows (K×D), float64, orthonormal, in order of decreasing variance.</summary>
    public Tensor Components { get; }
    /// <summary>Variance along each component (sample variance, N−1).</summary>
    public double[] ExplainedVariance { get; }
    /// <summary>Each component's share of the total variance.</summary>
    public double[] ExplainedVarianceRatio { get; }

    private Pca(Tensor mean, Tensor components, double[] variance, double[] ratio)
    {
        Mean = mean; Components = components; ExplainedVariance = variance; ExplainedVarianceRatio = ratio;
    }

    /// <summary>Fits the first <paramref name="k"/> components of the rows of <paramref name="x"/> (N×D).</summary>
    public static Pca Fit(Tensor x, int k)
    {
        if (x.dim() != 2) throw new ArgumentException("PCA expects an N×D matrix (vectorise images first).");
        if (k < 1 || k > x.shape[1]) throw new ArgumentOutOfRangeException(nameof(k));
        using var scope = NewDisposeScope();
        var x64 = x.to_type(ScalarType.Float64);
        var mean = x64.mean(new long[] { 0 });
        var centred = x64 - mean;
        var cov = centred.t().matmul(centred) / (x.shape[0] - 1);
        var (eigenvalues, eigenvectors) = linalg.eigh(cov);   // ascending order
        var total = eigenvalues.sum().item<double>();
        var order = arange(x.shape[1] - 1, x.shape[1] - 1 - k, -1, dtype: ScalarType.Int64);
        var values = eigenvalues.index_select(0, order);
        var comps = eigenvectors.index_select(1, order).t().contiguous();        // K×D
        // Fix the sign: the entry of largest magnitude of each component is positive.
        var pivot = comps.abs().argmax(1, keepdim: true);
        var signs = comps.gather(1, pivot).sign();
        comps = (comps * signs).contiguous();
        var variance = values.data<double>().ToArray();
        return new Pca(mean.MoveToOuterDisposeScope(), comps.MoveToOuterDisposeScope(), variance, variance.Select(v => v / total).ToArray());
    }

    /// <summary>Coordinates of the rows of <paramref name="x"/> (N×D) on the components (N×K, float64).</summary>
    public Tensor Transform(Tensor x) => (x.to_type(ScalarType.Float64) - Mean).matmul(Components.t());

    /// <summary>The largest deviation of Components·Componentsᵀ from the identity (0 for exactly orthonormal rows).</summary>
    public double OrthonormalityError()
    {
        using var scope = NewDisposeScope();
        var gram = Components.matmul(Components.t());
        return (gram - eye(gram.shape[0], dtype: ScalarType.Float64)).abs().max().item<double>();
    }

    public void Dispose() { Mean.Dispose(); Components.Dispose(); }
}
