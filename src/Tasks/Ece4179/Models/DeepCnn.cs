using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Ece4179.Models;

/// <summary>
/// The deep CNN of Q2.1: four conv-blocks, each a 3×3 convolution of stride 2 and padding 1, a 1×1 convolution and a
/// 3×3 convolution of padding 1, every one followed by a ReLU, with 3→32→64→128→192 channels (96 → 48 → 24 → 12 → 6);
/// global average pooling; fc 192→10. The layers are named block{b}_{down,mix,conv}. The convolutions start from He
/// (Kaiming) normal weights for ReLU (fan-out, as torchvision's VGG) and zero biases: with PyTorch's default the signal of
/// twelve plain ReLU convolutions shrinks layer by layer and training stalls at the start.
/// </summary>
public sealed class DeepCnn : Module<Tensor, Tensor>, ITraceable
{
    private readonly List<Conv2d> layers = new();
    private readonly Linear fc;

    public static readonly int[] Widths = { 32, 64, 128, 192 };
    /// <summary>The three convolutions of a block, in order.</summary>
    public static readonly string[] BlockLayers = { "down", "mix", "conv" };

    public DeepCnn(int classes = 10) : base(nameof(DeepCnn))
    {
        int inCh = 3;
        for (int b = 0; b < Widths.Length; b++)
        {
            int w = Widths[b];
            Add($"block{b + 1}_down", Conv2d(inCh, w, 3, stride: 2, padding: 1));
            Add($"block{b + 1}_mix", Conv2d(w, w, 1));
            Add($"block{b + 1}_conv", Conv2d(w, w, 3, padding: 1));
            inCh = w;
        }
        fc = Linear(inCh, classes);
        register_module("fc", fc);
    }

    private void Add(string name, Conv2d conv)
    {
        using (no_grad())
        {
            init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            init.zeros_(conv.bias);
        }
        layers.Add(conv);
        register_module(name, conv);
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var conv in layers) x = functional.relu(conv.call(x));
        return fc.call(x.mean(new long[] { 2, 3 }));
    }

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            x = functional.relu(layers[i].call(x));
            yield return ($"block{i / BlockLayers.Length + 1}_{BlockLayers[i % BlockLayers.Length]}", x);
        }
        x = x.mean(new long[] { 2, 3 }); yield return ("gap", x);
        x = fc.call(x); yield return ("fc", x);
    }
}
