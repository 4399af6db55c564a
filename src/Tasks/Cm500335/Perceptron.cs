namespace Harness.Tasks.Cm500335;

/// <summary>
/// The brief's perceptron: <see cref="Predict"/> is sign(x·w + b) with labels −1/+1, and <see cref="Optimise"/> is the
/// batch perceptron rule — every iteration adds η·yᵢ·xᵢ for each misclassified training point to w (and η·yᵢ to b) —
/// from a seeded uniform draw of w and b in [0, 1), for at most <c>MaxIterations</c> iterations, stopping as soon as
/// the training error is at most <c>Tolerance</c>. float64 throughout, so the result does not depend on summation order.
/// </summary>
public static class Perceptron
{
    public sealed record Settings(double LearningRate = 0.1, int MaxIterations = 1000, double Tolerance = 1e-3);

    /// <param name="W">weights (D)</param>
    /// <param name="B">bias</param>
    /// <param name="Errors">training error (fraction misclassified) at the start of each iteration, then after the last update</param>
    public sealed record Result(double[] W, double B, double[] Errors, int Iterations, bool Converged);

    /// <summary>Labels −1/+1 of the rows of x (N×D) under (w, b); a point exactly on the plane counts as +1.</summary>
    public static Tensor Predict(Tensor x, Tensor w, Tensor b) =>
        where(x.matmul(w).add(b).ge(0), 1.0, -1.0).to_type(ScalarType.Float64);

    /// <summary>Trains on rows x (N×D) with labels y (N, −1/+1).</summary>
    public static Result Optimise(Tensor x, Tensor y, Settings s, long seed)
    {
        using var scope = NewDisposeScope();
        var x64 = x.to_type(ScalarType.Float64);
        var y64 = y.to_type(ScalarType.Float64);
        using var gen = new TorchSharp.torch.Generator((ulong)seed);
        var w = rand(new[] { x.shape[1] }, dtype: ScalarType.Float64, generator: gen);
        var b = rand(new long[] { 1 }, dtype: ScalarType.Float64, generator: gen);
        var errors = new List<double>();
        int iteration = 0;
        bool converged = false;
        while (true)
        {
            using var step = NewDisposeScope();
            var yHat = Predict(x64, w, b);
            var wrong = yHat.ne(y64);
            var error = wrong.to_type(ScalarType.Float64).mean().item<double>();
            errors.Add(error);
            if (error <= s.Tolerance) { converged = true; break; }
            if (iteration == s.MaxIterations) break;
            // (y − ŷ)/2 is yᵢ on a misclassified point and 0 elsewhere.
            var delta = (y64 - yHat) / 2;
            w = (w + s.LearningRate * x64.t().matmul(delta)).MoveToOuterDisposeScope();
            b = (b + s.LearningRate * delta.sum()).MoveToOuterDisposeScope();
            iteration++;
        }
        return new Result(w.data<double>().ToArray(), b.item<double>(), errors.ToArray(), iteration, converged);
    }

    /// <summary>Accuracy of (w, b) on rows x with labels y (−1/+1).</summary>
    public static double Accuracy(Result r, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var w = tensor(r.W, dtype: ScalarType.Float64);
        var b = tensor(new[] { r.B }, dtype: ScalarType.Float64);
        return Predict(x.to_type(ScalarType.Float64), w, b).eq(y.to_type(ScalarType.Float64)).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>The images of digits a (label −1) and b (label +1), vectorised: (x N×784, y N).</summary>
    public static (Tensor X, Tensor Y) Pair(Harness.Core.Data.ImageDataSet data, int a, int b)
    {
        using var scope = NewDisposeScope();
        var lab = data.Labels;
        var mask = lab.eq(a).logical_or(lab.eq(b));
        var x = data.Images.flatten(1)[mask];
        var y = where(lab[mask].eq(b), 1.0, -1.0).to_type(ScalarType.Float64);
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }
}
