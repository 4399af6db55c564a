using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Hw4.Models;

/// <summary>
/// Problem 1(b): the 2-10-2-1 network of 1(a) with sigmoid units, trainable. Returns the output unit's
/// pre-activation (logit), so that the loss is the numerically stable BCE-with-logits; sigmoid(logit) ≥ 0.5 ⇔ label 1.
/// </summary>
public sealed class SigmoidPentagonMlp : Module<Tensor, Tensor>
{
    private readonly Linear edges;
    private readonly Linear and;
    private readonly Linear or;

    public SigmoidPentagonMlp() : base(nameof(SigmoidPentagonMlp))
    {
        edges = Linear(2, 10);
        and = Linear(10, 2);
        or = Linear(2, 1);
        RegisterComponents();
    }

    /// <summary>Every parameter uniform in [low, high] (the seed's protocol), drawn from the global seeded generator.</summary>
    public void InitUniform(double low, double high)
    {
        using (no_grad())
            foreach (var p in parameters()) init.uniform_(p, low, high);
    }

    public override Tensor forward(Tensor x) => or.call(functional.sigmoid(and.call(functional.sigmoid(edges.call(x)))));
}
