using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Hw4.Models;

/// <summary>
/// Problem 1(c): a plain MLP from 2 inputs to 1 logit with ReLU hidden layers of the given widths, so the same class
/// gives the "wider" (one broad layer) and the "deeper" (several narrow layers) variant of the trade-off.
/// </summary>
public sealed class ReluMlp : Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers = new();

    public ReluMlp(string name, IReadOnlyList<int> hidden) : base(name)
    {
        int inputs = 2;
        foreach (var width in hidden) { layers.Add(Linear(inputs, width)); inputs = width; }
        layers.Add(Linear(inputs, 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        for (int i = 0; i < layers.Count - 1; i++) x = functional.relu(layers[i].call(x));
        return layers[^1].call(x);
    }
}
