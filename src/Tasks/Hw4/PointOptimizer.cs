namespace Harness.Tasks.Hw4;

/// <summary>
/// Plain gradient descent and Adam (β = 0.9, 0.999, ε = 1e-8, as torch.optim.Adam) for the Problem 1 networks, with
/// the learning rate set per step. Written out because these runs take tens of thousands of tiny steps: every
/// constant is a Scalar held for the whole step, where TorchSharp's optimisers create a temporary Scalar per
/// operation (even the implicit alpha = 1 of <c>add_(Scalar)</c>), which the garbage collector's finaliser can free
/// while libtorch still reads it ("Unknown scalar type", or a failed check in Scalar::toFloat). The rate of step t
/// (0-based) comes from <c>rate</c>; the moments and the step count are saved with the trainer's checkpoints.
/// </summary>
public sealed class PointOptimizer : ITrainingOptimizer
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> _parameters;
    private readonly bool _adam;
    private readonly Func<int, double> _rate;
    private readonly List<(Tensor M, Tensor V)> _moments = new();
    private readonly Scalar _beta1 = Beta1, _beta2 = Beta2, _oneMinusBeta1 = 1 - Beta1, _oneMinusBeta2 = 1 - Beta2, _eps = Eps, _one = 1.0;
    private int _step;

    public PointOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters, string kind, Func<int, double> rate)
    {
        _parameters = parameters.ToList();
        _rate = rate;
        _adam = kind switch { "adam" => true, "gd" => false, _ => throw new ArgumentException($"unknown optimiser {kind}") };
        if (_adam) foreach (var p in _parameters) _moments.Add((zeros_like(p).DetachFromDisposeScope(), zeros_like(p).DetachFromDisposeScope()));
    }

    public void ZeroGrad() { foreach (var p in _parameters) p.grad?.zero_(); }

    /// <summary>One update; call it outside any dispose scope (its Scalars are disposed here, exactly once).</summary>
    public void Step()
    {
        double learningRate = _rate(_step);
        _step++;
        using var _ = no_grad();
        if (!_adam)
        {
            var minusLr = ((Scalar)(-learningRate));
            foreach (var p in _parameters) if (p.grad is { } g) p.add_(g, minusLr);
            minusLr.Dispose();
            return;
        }
        // Adam: p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε).
        var stepSize = (Scalar)(-learningRate / (1 - Math.Pow(Beta1, _step)));
        var correction2 = (Scalar)Math.Sqrt(1 - Math.Pow(Beta2, _step));
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            if (p.grad is not { } g) continue;
            var (m, v) = _moments[i];
            m.mul_(_beta1).add_(g, _oneMinusBeta1);
            v.mul_(_beta2).addcmul_(g, g, _oneMinusBeta2);
            using var denominator = v.sqrt();
            denominator.div_(correction2).add_(_eps, _one); // explicit alpha: the one-argument overload makes a temporary Scalar
            p.addcdiv_(m, denominator, stepSize);
        }
        stepSize.Dispose();
        correction2.Dispose();
    }

    public void EndEpoch() { }

    private const string StateFile = "point_optimizer.bin";

    public void Save(string folder)
    {
        var state = new Dictionary<string, Tensor> { ["step"] = tensor(new long[] { _step }) };
        for (int i = 0; i < _moments.Count; i++) { state[$"m{i}"] = _moments[i].M; state[$"v{i}"] = _moments[i].V; }
        TensorFile.Write(System.IO.Path.Combine(folder, StateFile), state);
        state["step"].Dispose();
    }

    public void Restore(string folder, int epochsDone)
    {
        var state = TensorFile.Read(System.IO.Path.Combine(folder, StateFile));
        try
        {
            _step = (int)state["step"].item<long>();
            using var _ = no_grad();
            for (int i = 0; i < _moments.Count; i++) { _moments[i].M.copy_(state[$"m{i}"]); _moments[i].V.copy_(state[$"v{i}"]); }
        }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    public void Dispose()
    {
        foreach (var (m, v) in _moments) { m.Dispose(); v.Dispose(); }
        foreach (var s in new[] { _beta1, _beta2, _oneMinusBeta1, _oneMinusBeta2, _eps, _one }) s.Dispose();
    }
}
