using TorchSharp.Modules;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// Classification trained to convergence: a step is the cross-entropy of the batch plus, when <paramref name="l2"/> is
/// above 0, the L2 penalty l2 · Σ w² over <paramref name="penalised"/> (so gradients come from the regularised loss);
/// after every epoch the validation split is evaluated (plain cross-entropy, eval mode), and the best epoch is the one
/// with the lowest validation loss. With the recipe's patience the trainer stops once it has not fallen for that many
/// epochs, and keeps the best epoch's weights.
/// </summary>
public sealed class ConvergenceObjective(nn.Module<Tensor, Tensor> model, ImageDataSet train, ImageDataSet validation, Device device,
    double l2 = 0, IReadOnlyList<Parameter>? penalised = null) : IObjective
{
    private readonly ClassifierObjective _classifier = new(model, train, validation, null, device);

    public int TrainCount => _classifier.TrainCount;

    public StepOutput Step(Batch batch)
    {
        var output = _classifier.Step(batch);
        return l2 == 0 ? output : output with { Loss = output.Loss + l2 * Penalty(penalised ?? []) };
    }

    /// <summary>Σ w² over the parameters (a scalar tensor; 0 for none).</summary>
    public static Tensor Penalty(IEnumerable<Parameter> parameters) =>
        parameters.Select(p => p.square().sum()).Aggregate(zeros(1).squeeze(), (a, b) => a + b.to(a.device));

    public IReadOnlyDictionary<string, double> Evaluate() => _classifier.Evaluate();

    public Selection Selection => Selection.Lowest(Metric.ValidationLoss, "validation loss");

    public string Fingerprint => $"convergence|l2 {l2.ToString("R", CultureInfo.InvariantCulture)}|{penalised?.Count ?? 0}|{_classifier.Fingerprint}";
}
