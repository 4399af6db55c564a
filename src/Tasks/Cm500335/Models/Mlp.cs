using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Cm500335.Models;

/// <summary>
/// A fully connected network on vectorised 28×28 images: 784 → hidden widths (each followed by ReLU) → 10 logits.
/// Layers are named fc1, fc2, … so that the architecture table lists each. [1000, 1000] is task 3.1's network
/// (1,796,010 parameters); task 3.2 adds deeper ones.
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>, ITraceable
{
    private readonly List<Linear> layers = new();

    public Mlp(IReadOnlyList<int> hidden, int inputs = 784, int classes = 10) : base("Mlp")
    {
        Hidden = hidden;
        var widths = new[] { inputs }.Concat(hidden).Append(classes).ToArray();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            var layer = Linear(widths[i], widths[i + 1]);
            layers.Add(layer);
            register_module($"fc{i + 1}", layer);
        }
    }

    public IReadOnlyList<int> Hidden { get; }

    public override Tensor forward(Tensor x) => Trace(x).Last().Output;

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        x = x.flatten(1); yield return ("flatten", x);
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].call(x);
            if (i + 1 < layers.Count) x = functional.relu(x);
            yield return ($"fc{i + 1}", x);
        }
    }

    /// <summary>Parameters of an MLP with these hidden widths (for tables, without building it).</summary>
    public static long ParameterCount(IReadOnlyList<int> hidden, int inputs = 784, int classes = 10)
    {
        var w = new[] { inputs }.Concat(hidden).Append(classes).ToArray();
        long n = 0;
        for (int i = 0; i + 1 < w.Length; i++) n += (long)w[i] * w[i + 1] + w[i + 1];
        return n;
    }
}
