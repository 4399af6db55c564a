using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Comp0090.Models;

/// <summary>
/// The autoencoder of 3.4 on flattened 28×28 images in [0, 1]: an encoder of fully connected layers enc1, enc2, …
/// (ReLU after each) down to the code, and a mirrored decoder dec1, dec2, … ending in a sigmoid. With widths [256, 64]:
/// 784 → 256 → 64 → 256 → 784. The encoder's layers have the names and shapes of <see cref="EncoderMlp"/>'s.
/// </summary>
public sealed class MlpAutoencoder : Module<Tensor, Tensor>, ITraceable
{
    private readonly List<Linear> encoder = new(), decoder = new();

    public MlpAutoencoder(IReadOnlyList<int> widths) : base(nameof(MlpAutoencoder))
    {
        var sizes = new[] { EncoderMlp.Inputs }.Concat(widths).ToArray();
        for (int i = 0; i + 1 < sizes.Length; i++) { var l = Linear(sizes[i], sizes[i + 1]); encoder.Add(l); register_module($"enc{i + 1}", l); }
        for (int i = sizes.Length - 1; i > 0; i--) { var l = Linear(sizes[i], sizes[i - 1]); decoder.Add(l); register_module($"dec{decoder.Count}", l); }
    }

    /// <summary>The encoder's parameters by name ("enc1.weight", …), shared with this network.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> EncoderParameters =>
        named_parameters().Where(p => p.name.StartsWith("enc", StringComparison.Ordinal));

    public override Tensor forward(Tensor x) => Trace(x).Last().Output;

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        x = x.flatten(1);
        for (int i = 0; i < encoder.Count; i++) { x = functional.relu(encoder[i].call(x)); yield return ($"enc{i + 1}", x); }
        for (int i = 0; i < decoder.Count; i++)
        {
            x = decoder[i].call(x);
            x = i + 1 < decoder.Count ? functional.relu(x) : functional.sigmoid(x);
            yield return ($"dec{i + 1}", x);
        }
        yield return ("image", x.view(-1, 1, 28, 28));
    }
}
