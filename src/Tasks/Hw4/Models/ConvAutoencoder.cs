using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Hw4.Models;

/// <summary>
/// Problem 3: a convolutional autoencoder for 28×28 images in [0,1]. Encoder: conv 3×3 1→32 → ReLU → max-pool 2
/// (32×14×14), conv 3×3 32→64 → ReLU → max-pool 2 (64×7×7), fully connected to the code (its size set by 3(a)). Decoder:
/// fully connected back to 64×7×7 → ReLU, transposed conv 2×2 stride 2 to 32×14×14 → ReLU, transposed conv to
/// 1×28×28 → sigmoid. The encoder layers are exposed so that 3(c)/3(d) can build a classifier on them.
/// </summary>
public sealed class ConvAutoencoder : Module<Tensor, Tensor>, ITraceable
{
    /// <summary>The encoder's channels (first and second convolution).</summary>
    public const int Channels1 = 32, Channels2 = 64;
    private readonly Conv2d enc1;
    private readonly Conv2d enc2;
    private readonly MaxPool2d pool;
    private readonly Linear code;
    private readonly Linear dec_fc;
    private readonly ConvTranspose2d dec1;
    private readonly ConvTranspose2d dec2;

    /// <param name="codeSize">the code's dimension (3(a)'s settings; 3(b)–3(d) build theirs from the same)</param>
    public ConvAutoencoder(int codeSize) : base(nameof(ConvAutoencoder))
    {
        CodeSize = codeSize;
        enc1 = Conv2d(1, Channels1, 3, padding: 1);
        enc2 = Conv2d(Channels1, Channels2, 3, padding: 1);
        pool = MaxPool2d(2);
        code = Linear(Channels2 * 7 * 7, codeSize);
        dec_fc = Linear(codeSize, Channels2 * 7 * 7);
        dec1 = ConvTranspose2d(Channels2, Channels1, 2, stride: 2);
        dec2 = ConvTranspose2d(Channels1, 1, 2, stride: 2);
        RegisterComponents();
    }

    /// <summary>The code's dimension.</summary>
    public int CodeSize { get; }

    /// <summary>The encoder's layers (shared, not copied), for the classifiers of 3(c) and 3(d).</summary>
    public (Conv2d Enc1, Conv2d Enc2, Linear Code) EncoderLayers => (enc1, enc2, code);

    /// <summary>Names of the encoder's parameters (prefixes for freezing and bitwise checks).</summary>
    public static readonly string[] EncoderPrefixes = { "enc1.", "enc2.", "code." };

    /// <summary>The first layer's feature maps (after ReLU): N×32×28×28.</summary>
    public Tensor FirstLayer(Tensor x) => functional.relu(enc1.call(x));

    public Tensor Encode(Tensor x) => Encode(x, enc1, enc2, code);

    internal static Tensor Encode(Tensor x, Conv2d enc1, Conv2d enc2, Linear code)
    {
        x = functional.max_pool2d(functional.relu(enc1.call(x)), 2);
        x = functional.max_pool2d(functional.relu(enc2.call(x)), 2);
        return code.call(x.flatten(1));
    }

    public Tensor Decode(Tensor z) =>
        functional.sigmoid(dec2.call(functional.relu(dec1.call(functional.relu(dec_fc.call(z)).view(-1, Channels2, 7, 7)))));

    public override Tensor forward(Tensor x) => Decode(Encode(x));

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        x = enc1.call(x); yield return ("enc1", x);
        x = pool.call(functional.relu(x)); yield return ("relu+pool", x);
        x = enc2.call(x); yield return ("enc2", x);
        x = pool.call(functional.relu(x)); yield return ("relu+pool ", x);
        x = code.call(x.flatten(1)); yield return ("code", x);
        x = functional.relu(dec_fc.call(x)).view(-1, Channels2, 7, 7); yield return ("dec_fc", x);
        x = functional.relu(dec1.call(x)); yield return ("dec1", x);
        x = functional.sigmoid(dec2.call(x)); yield return ("dec2", x);
    }
}
