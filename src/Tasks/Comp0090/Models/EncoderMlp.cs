using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Comp0090.Models;

/// <summary>
/// The MLP of 3.4: the encoder's structure (fully connected layers enc1, enc2, … with ReLU, the same names and shapes
/// as <see cref="MlpAutoencoder"/>'s encoder) and a classification layer from the code to the 5 classes. It starts
/// from its own random weights, or from a trained encoder's (<see cref="CopyEncoder"/>).
/// </summary>
public sealed class EncoderMlp : Module<Tensor, Tensor>, ITraceable
{
    /// <summary>Pixels of a flattened image.</summary>
    public const int Inputs = 28 * 28;
    private readonly List<Linear> encoder = new();
    private readonly Linear classifier;

    public EncoderMlp(IReadOnlyList<int> widths, int classes = FashionHalves.Classes) : base(nameof(EncoderMlp))
    {
        var sizes = new[] { Inputs }.Concat(widths).ToArray();
        for (int i = 0; i + 1 < sizes.Length; i++) { var l = Linear(sizes[i], sizes[i + 1]); encoder.Add(l); register_module($"enc{i + 1}", l); }
        classifier = Linear(sizes[^1], classes);
        register_module(ConvNet.Classifier, classifier);
    }

    /// <summary>Copies every encoder parameter of <paramref name="autoencoder"/> into this network's parameter of the same name.</summary>
    public void CopyEncoder(MlpAutoencoder autoencoder)
    {
        var mine = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var _ = no_grad();
        foreach (var (name, p) in autoencoder.EncoderParameters) mine[name].copy_(p);
    }

    public override Tensor forward(Tensor x) => Trace(x).Last().Output;

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        x = x.flatten(1);
        for (int i = 0; i < encoder.Count; i++) { x = functional.relu(encoder[i].call(x)); yield return ($"enc{i + 1}", x); }
        x = classifier.call(x); yield return (ConvNet.Classifier, x);
    }
}
