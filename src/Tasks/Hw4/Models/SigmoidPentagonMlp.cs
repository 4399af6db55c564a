using TorchSharp.Modules;
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

    /// <summary>Units per layer, as 1(a)'s network: 2 inputs, 10 edge units, 2 AND units, 1 OR unit.</summary>
    public static readonly int[] Layers = { 2, 10, 2, 1 };
    /// <summary>"2-10-2-1".</summary>
    public static string Shape => string.Join("-", Layers);

    public SigmoidPentagonMlp() : base(nameof(SigmoidPentagonMlp))
    {
        edges = Linear(Layers[0], Layers[1]);
        and = Linear(Layers[1], Layers[2]);
        or = Linear(Layers[2], Layers[3]);
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
