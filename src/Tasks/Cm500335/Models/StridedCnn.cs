using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Cm500335.Models;

/// <summary>
/// A CNN that downsamples with strided convolutions instead of pooling: conv layers (k×k, given strides, ReLU),
/// flatten, one dense layer to 10 logits. Task 4.1's network is channels [32, 64, 128], kernel 4, strides [1, 2, 2],
/// no padding: 28 → 25 → 11 → 4, 2,048 features, 185,066 parameters. Task 4.2 varies depth and width.
/// </summary>
public sealed class StridedCnn : Module<Tensor, Tensor>, ITraceable
{
    private readonly List<Conv2d> convs = new();
    private readonly Linear fc;

    public StridedCnn(IReadOnlyList<int> channels, int kernel, IReadOnlyList<int> strides, int padding = 0, int classes = 10) : base("StridedCnn")
    {
        if (channels.Count != strides.Count) throw new ArgumentException("one stride per conv layer");
        Channels = channels;
        int inCh = 1;
        for (int i = 0; i < channels.Count; i++)
        {
            var conv = Conv2d(inCh, channels[i], kernel, stride: strides[i], padding: padding);
            convs.Add(conv);
            register_module($"conv{i + 1}", conv);
            inCh = channels[i];
        }
        var side = OutputSide(28, kernel, strides, padding);
        if (side < 1) throw new ArgumentException($"the feature map vanishes (side {side}); fewer or less strided layers needed");
        Features = channels[^1] * side * side;
        fc = Linear(Features, classes);
        register_module("fc", fc);
    }

    public IReadOnlyList<int> Channels { get; }
    /// <summary>Length of the flattened feature vector.</summary>
    public int Features { get; }
    public int ConvLayers => convs.Count;

    /// <summary>The conv layer with index i (0-based), e.g. to draw its filters.</summary>
    public Conv2d Conv(int i) => convs[i];

    public static int OutputSide(int side, int kernel, IReadOnlyList<int> strides, int padding)
    {
        foreach (var s in strides) side = (side + 2 * padding - kernel) / s + 1;
        return side;
    }

    public override Tensor forward(Tensor x) => Trace(x).Last().Output;

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        for (int i = 0; i < convs.Count; i++)
        {
            x = functional.relu(convs[i].call(x));
            yield return ($"conv{i + 1}", x);
        }
        x = x.flatten(1); yield return ("flatten", x);
        x = fc.call(x); yield return ("fc", x);
    }
}
