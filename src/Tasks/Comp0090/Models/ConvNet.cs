using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Comp0090.Models;

/// <summary>
/// The shape of a <see cref="ConvNet"/>: conv layers of these channels (k×k, same padding), each followed by an optional
/// batch norm, ReLU and 2×2 max-pooling; then fully connected hidden layers (ReLU), dropout before each fully connected
/// layer when asked, and the classification layer.
/// </summary>
public sealed record CnnShape(int[] Channels, int Kernel, int[] Hidden, double Dropout = 0, bool BatchNorm = false)
{
    /// <summary>Side of the last feature maps: 28 halved (floor) once per conv layer.</summary>
    public int Side => Channels.Aggregate(28, (side, _) => side / 2);
    public int Features => Channels[^1] * Side * Side;
}

/// <summary>
/// The CNN of COMP0090 3.1–3.5 for 28×28 grey images and 5 classes. Layers are named conv1…, bn1…, fc1… and
/// "classifier" (the classification layer), so that weights move between networks by name (3.5) and the feature maps
/// of every conv layer can be read (3.3).
/// </summary>
public sealed class ConvNet : Module<Tensor, Tensor>, ITraceable
{
    private readonly List<Conv2d> convs = new();
    private readonly List<BatchNorm2d> norms = new();
    private readonly List<Linear> hidden = new();
    private readonly Dropout? dropout;
    private readonly Linear classifier;

    /// <summary>The name of the classification layer (its parameters are "classifier.weight" and "classifier.bias").</summary>
    public const string Classifier = "classifier";

    public ConvNet(CnnShape shape, int classes = FashionHalves.Classes) : base(nameof(ConvNet))
    {
        Shape = shape;
        int inputs = 1;
        for (int i = 0; i < shape.Channels.Length; i++)
        {
            var conv = Conv2d(inputs, shape.Channels[i], shape.Kernel, padding: shape.Kernel / 2);
            convs.Add(conv);
            register_module($"conv{i + 1}", conv);
            if (shape.BatchNorm) { var bn = BatchNorm2d(shape.Channels[i]); norms.Add(bn); register_module($"bn{i + 1}", bn); }
            inputs = shape.Channels[i];
        }
        inputs = shape.Features;
        for (int i = 0; i < shape.Hidden.Length; i++)
        {
            var fc = Linear(inputs, shape.Hidden[i]);
            hidden.Add(fc);
            register_module($"fc{i + 1}", fc);
            inputs = shape.Hidden[i];
        }
        if (shape.Dropout > 0) { dropout = Dropout(shape.Dropout); register_module("dropout", dropout); }
        classifier = Linear(inputs, classes);
        register_module(Classifier, classifier);
    }

    public CnnShape Shape { get; }

    /// <summary>The conv layers' names and modules, in order.</summary>
    public IEnumerable<(string Name, Conv2d Layer)> ConvLayers => convs.Select((c, i) => ($"conv{i + 1}", c));

    public override Tensor forward(Tensor x) => Trace(x).Last().Output;

    /// <summary>Every conv layer's feature maps (after batch norm and ReLU, before pooling): N×C×H×W each.</summary>
    public IEnumerable<(string Name, Tensor Maps)> FeatureMaps(Tensor x)
    {
        for (int i = 0; i < convs.Count; i++)
        {
            var maps = Activation(i, x);
            yield return ($"conv{i + 1}", maps);
            x = functional.max_pool2d(maps, 2);
        }
    }

    private Tensor Activation(int i, Tensor x)
    {
        x = convs[i].call(x);
        if (norms.Count > 0) x = norms[i].call(x);
        return functional.relu(x);
    }

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        for (int i = 0; i < convs.Count; i++)
        {
            x = convs[i].call(x); yield return ($"conv{i + 1}", x);
            if (norms.Count > 0) { x = norms[i].call(x); yield return ($"bn{i + 1}", x); }
            x = functional.max_pool2d(functional.relu(x), 2); yield return ($"relu+pool{i + 1}", x);
        }
        x = x.flatten(1);
        for (int i = 0; i < hidden.Count; i++)
        {
            if (dropout is not null) x = dropout.call(x);
            x = functional.relu(hidden[i].call(x)); yield return ($"fc{i + 1}", x);
        }
        if (dropout is not null) x = dropout.call(x);
        x = classifier.call(x); yield return (Classifier, x);
    }
}
