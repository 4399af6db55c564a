using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Ece4179.Models;

/// <summary>
/// Q2.3's better network: the deep CNN's four blocks (3×3 stride 2 → 1×1 → 3×3) with batch normalisation after every
/// convolution (whose bias it replaces), a residual connection around the 1×1 → 3×3 pair of each block, narrower last
/// blocks (widths given), global average pooling, dropout and one fully connected layer. Layers: block{b}_{down,mix,conv}
/// and their batch norms block{b}_{down,mix,conv}_bn.
/// </summary>
public sealed class ResidualCnn : Module<Tensor, Tensor>, ITraceable
{
    private readonly List<Conv2d> convs = new();
    private readonly List<BatchNorm2d> norms = new();
    private readonly Dropout dropout;
    private readonly Linear fc;

    public ResidualCnn(IReadOnlyList<int> widths, double dropoutRate, int classes = 10) : base(nameof(ResidualCnn))
    {
        Widths = widths;
        int inCh = 3;
        for (int b = 0; b < widths.Count; b++)
        {
            int w = widths[b];
            Add($"block{b + 1}_down", Conv2d(inCh, w, 3, stride: 2, padding: 1, bias: false), w);
            Add($"block{b + 1}_mix", Conv2d(w, w, 1, bias: false), w);
            Add($"block{b + 1}_conv", Conv2d(w, w, 3, padding: 1, bias: false), w);
            inCh = w;
        }
        dropout = Dropout(dropoutRate);
        fc = Linear(inCh, classes);
        register_module("dropout", dropout);
        register_module("fc", fc);
    }

    public IReadOnlyList<int> Widths { get; }

    private void Add(string name, Conv2d conv, int channels)
    {
        var bn = BatchNorm2d(channels);
        convs.Add(conv); norms.Add(bn);
        register_module(name, conv);
        register_module(name + "_bn", bn);
    }

    public override Tensor forward(Tensor x)
    {
        for (int b = 0; b < Widths.Count; b++)
        {
            var h = functional.relu(Layer(3 * b, x));
            var r = functional.relu(Layer(3 * b + 1, h));
            x = functional.relu(Layer(3 * b + 2, r).add(h));
        }
        return fc.call(dropout.call(x.mean(new long[] { 2, 3 })));
    }

    private Tensor Layer(int i, Tensor x) => norms[i].call(convs[i].call(x));

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        string[] parts = { "down", "mix", "conv" };
        for (int b = 0; b < Widths.Count; b++)
        {
            Tensor? h = null;
            for (int j = 0; j < parts.Length; j++)
            {
                int i = 3 * b + j;
                var name = $"block{b + 1}_{parts[j]}";
                var c = convs[i].call(x); yield return (name, c);
                var n = norms[i].call(c);
                x = functional.relu(j == 2 ? n.add(h!) : n);
                yield return (name + "_bn", x);
                if (j == 0) h = x;
            }
        }
        x = x.mean(new long[] { 2, 3 }); yield return ("gap", x);
        x = dropout.call(x); yield return ("dropout", x);
        x = fc.call(x); yield return ("fc", x);
    }
}
