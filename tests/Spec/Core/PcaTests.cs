using FluentAssertions;
using Harness.Core.Analysis;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Spec.Core;

public sealed class PcaTests
{
    /// <summary>Points stretched along a known direction: PC1 must find it, with the variance ratio of the construction.</summary>
    [Test]
    public void Finds_the_direction_of_largest_variance_with_orthonormal_components()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        var z = randn(new long[] { 4000, 3 }, generator: g, dtype: ScalarType.Float64) * tensor(new[] { 5.0, 2.0, 0.5 }, dtype: ScalarType.Float64);
        // Rotate by 45° in the first two axes and shift: PC1 is (1, 1, 0)/√2.
        var c = Math.Sqrt(0.5);
        var rot = tensor(new[] { c, c, 0, -c, c, 0, 0, 0, 1 }, dtype: ScalarType.Float64).reshape(3, 3);
        var x = z.matmul(rot) + 3;
        using var pca = Pca.Fit(x.to_type(ScalarType.Float32), 2);
        var pc1 = pca.Components[0].data<double>().ToArray();
        Math.Abs(pc1[0]).Should().BeApproximately(c, 0.01);
        Math.Abs(pc1[1]).Should().BeApproximately(c, 0.01);
        pc1.Max(Math.Abs).Should().Be(pc1.Max(), "the sign is fixed so that the largest entry is positive");
        pca.ExplainedVarianceRatio[0].Should().BeApproximately(25 / 29.25, 0.01);
        pca.ExplainedVarianceRatio[1].Should().BeApproximately(4 / 29.25, 0.01);
        pca.OrthonormalityError().Should().BeLessThan(1e-12);
        var projected = pca.Transform(x);
        projected.shape.Should().Equal(4000, 2);
        projected.mean(new long[] { 0 }).abs().max().item<double>().Should().BeLessThan(1e-6, "projections of the fitted data are centred (input was float32)");
    }

    [Test]
    public void Is_deterministic()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 500, 20 }, generator: new Generator(3));
        using var a = Pca.Fit(x, 3);
        using var b = Pca.Fit(x, 3);
        a.Components.eq(b.Components).all().item<bool>().Should().BeTrue();
    }
}
