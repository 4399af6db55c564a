using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Hw4.Models;

/// <summary>
/// Problems 3(c)/3(d): the encoder of a trained <see cref="ConvAutoencoder"/> (its layers, shared) with the decoder
/// cut off, followed by a classification head: a single fully connected layer code → 10 (3c), or a hidden layer with
/// dropout (3d). Parameter names keep the autoencoder's ("enc1.", "enc2.", "code."), so freezing is by prefix.
/// </summary>
public sealed class EncoderClassifier : Module<Tensor, Tensor>, ITraceable
{
    private readonly Conv2d enc1;
    private readonly Conv2d enc2;
    private readonly Linear code;
    private readonly Linear? head_hidden;
    private readonly Dropout? head_dropout;
    private readonly Linear head;

    public EncoderClassifier(ConvAutoencoder autoencoder, int headHidden = 0, double dropout = 0) : base(nameof(EncoderClassifier))
    {
        (enc1, enc2, code) = autoencoder.EncoderLayers;
        int inputs = autoencoder.CodeSize;
        if (headHidden > 0) { head_hidden = Linear(inputs, headHidden); inputs = headHidden; }
        if (dropout > 0) head_dropout = Dropout(dropout);
        head = Linear(inputs, Classes);
        RegisterComponents();
    }

    public const int Classes = 10;

    public override Tensor forward(Tensor x) => Trace(x).Last().Output;

    /// <summary>The encoder's code of each image (what the head sees).</summary>
    public Tensor Encode(Tensor x) => ConvAutoencoder.Encode(x, enc1, enc2, code);

    /// <summary>The final fully connected layer (shared, not copied).</summary>
    public Linear Head => head;

    /// <summary>The encoder's layers one by one (the same arithmetic as <see cref="Encode"/>), then the head.</summary>
    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        x = enc1.call(x); yield return ("enc1", x);
        x = functional.max_pool2d(functional.relu(x), 2); yield return ("relu+pool", x);
        x = enc2.call(x); yield return ("enc2", x);
        x = functional.max_pool2d(functional.relu(x), 2); yield return ("relu+pool ", x);
        x = code.call(x.flatten(1)); yield return ("code", x);
        if (head_hidden is not null) { x = functional.relu(head_hidden.call(x)); yield return ("head_hidden", x); }
        if (head_dropout is not null) x = head_dropout.call(x);
        x = head.call(x); yield return ("head", x);
    }
}
