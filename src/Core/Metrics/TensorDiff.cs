using System.Globalization;
using static TorchSharp.torch;

namespace Harness.Core.Metrics;

/// <summary>Exact (bitwise-value) comparison of two tensors that says where they differ, for the findings of checks.</summary>
public static class TensorDiff
{
    /// <summary>Same shape and every element equal.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>Null when equal; otherwise how many elements differ and the first one, e.g. "12 of 784 elements differ, first at [0, 0, 3, 24]: 0.5 vs 0.25".</summary>
    public static string? Describe(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return $"shapes differ: {string.Join("×", a.shape)} vs {string.Join("×", b.shape)}";
        using var scope = NewDisposeScope();
        var ne = a.ne(b);
        long count = ne.sum().item<long>();
        if (count == 0) return null;
        var at = ne.nonzero()[0].data<long>().ToArray();
        long flat = 0;
        for (int d = 0; d < at.Length; d++) flat = flat * a.shape[d] + at[d];
        double va = a.flatten()[flat].to_type(ScalarType.Float64).item<double>(), vb = b.flatten()[flat].to_type(ScalarType.Float64).item<double>();
        return string.Create(CultureInfo.InvariantCulture,
            $"{count:N0} of {a.numel():N0} elements differ, first at [{string.Join(", ", at)}]: {va:G6} vs {vb:G6}");
    }
}
